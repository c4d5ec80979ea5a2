using UnifyAdmin.Core.Common;
using Bunit;
using MudBlazor;
using Bunit.TestDoubles;
using MudBlazor.Services;

namespace UnifyAdmin.Tests.Components;

/// <summary>
/// Base for bUnit tests of MudBlazor components: loose JS interop, MudBlazor's services, and a rendered
/// <see cref="MudPopoverProvider"/> so menus, selects and tooltips can open.
/// </summary>
public abstract class MudComponentTest : BunitContext
{
    protected MudComponentTest()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddInputValidators();
        Auth = AddAuthorization();
        AddServices(Services);
        Popovers = Render<MudPopoverProvider>();
    }

    /// <summary>Services a test's components need; added before anything renders (field initializers have run).</summary>
    protected virtual void AddServices(IServiceCollection services)
    {
    }

    /// <summary>Where open menus and select lists render.</summary>
    protected IRenderedComponent<MudPopoverProvider> Popovers { get; }

    /// <summary>Who the test's user is: anonymous until a test says otherwise.</summary>
    protected BunitAuthorizationContext Auth { get; }
}
