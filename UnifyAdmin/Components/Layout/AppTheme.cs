using MudBlazor;

namespace UnifyAdmin.Components.Layout;

/// <summary>The one MudBlazor theme of the app, light and dark.</summary>
public static class AppTheme
{
    private const string DarkText = "#1b1b1f";

    public static MudTheme Theme { get; } = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#3949ab",
            // Status colours dark enough for WCAG AA text contrast (4.5:1) on white and under white text.
            Secondary = "#00695c",
            Success = "#2e7d32",
            Warning = "#b45309",
            Error = "#c62828",
            Info = "#0277bd",
            AppbarBackground = "#283593",
        },
        // Dark: light tints with near-black text on them (white on a light tint fails AA), and text at 70 % white
        // or more, because MudBlazor's 50 % secondary text is under 4.5:1 on its own dark surfaces.
        PaletteDark = new PaletteDark
        {
            Primary = "#9fa8da",
            PrimaryContrastText = DarkText,
            Secondary = "#80cbc4",
            SecondaryContrastText = DarkText,
            Success = "#81c784",
            SuccessContrastText = DarkText,
            Warning = "#ffb74d",
            WarningContrastText = DarkText,
            Error = "#ef9a9a",
            ErrorContrastText = DarkText,
            Info = "#81d4fa",
            InfoContrastText = DarkText,
            // MudBlazor writes text-variant alerts in the "darken" shade; on a dark surface that shade must be lighter.
            SuccessDarken = "#c8e6c9",
            WarningDarken = "#ffe0b2",
            ErrorDarken = "#ffcdd2",
            InfoDarken = "#b3e5fc",
            TextPrimary = "rgba(255,255,255,0.87)",
            TextSecondary = "rgba(255,255,255,0.70)",
            DrawerText = "rgba(255,255,255,0.87)",
            DrawerIcon = "rgba(255,255,255,0.70)",
            AppbarText = "rgba(255,255,255,0.87)",
            ActionDefault = "rgba(255,255,255,0.70)",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography
            {
                FontFamily = ["system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Arial", "sans-serif"],
            },
        },
    };
}
