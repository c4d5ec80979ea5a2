using Microsoft.AspNetCore.Identity;

namespace UnifyAdmin.Core.Persistence;

/// <summary>A person who signs in to UnifyAdmin.</summary>
public sealed class AppUser : IdentityUser
{
    /// <summary>A disabled user cannot sign in; their existing sessions end at the next security stamp check.</summary>
    public bool IsDisabled { get; set; }

    /// <summary>Remembered light/dark choice; null means follow the browser.</summary>
    public bool? PrefersDarkMode { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
