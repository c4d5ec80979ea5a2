// Small browser-side helpers called through JS interop.
window.unifyAdmin = {
    // Marks the page once its interactive circuit has rendered, so browser tests (and anyone reading
    // the DOM) can tell a live page from a pre-rendered one.
    circuitUp: () => document.documentElement.setAttribute('data-circuit', 'up'),
};
