using UnifyAdmin;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Security;

var builder = WebApplication.CreateBuilder(args);

// Serve MudBlazor's and the framework's assets from a plain build in every environment (a published app has them in wwwroot).
builder.WebHost.UseStaticWebAssets();

builder.Services.AddPersistence(builder.Configuration, builder.Environment);
builder.Services.AddSecurity();
builder.Services.AddSandbox(builder.Configuration, builder.Environment);
builder.Services.AddWeb();

var app = builder.Build();

await app.PrepareDatabaseAsync();
app.UseWeb();
app.MapOperations();
app.MapSandbox();
app.MapWeb();

app.Run();

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
