namespace UnifyAdmin.Core.Security;

/// <summary>The two built-in roles: Admins change configuration, Viewers read dashboards and lists.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Viewer = "Viewer";

    public static readonly IReadOnlyList<string> All = [Admin, Viewer];
}

/// <summary>Authorization policy names used by pages and endpoints.</summary>
public static class Policies
{
    /// <summary>Anything that changes configuration.</summary>
    public const string Admin = "RequireAdmin";
}
