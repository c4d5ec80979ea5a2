using UnifyAdmin;
using UnifyAdmin.Features.Demo;
using UnifyAdmin.Core.Destinations;
using UnifyAdmin.Core.Models;
using UnifyAdmin.Core.Mappings;
using UnifyAdmin.Core.Monitoring;
using UnifyAdmin.Features.Monitoring;
using UnifyAdmin.Core.Persistence;
using UnifyAdmin.Core.Salesforce;
using UnifyAdmin.Core.Security;
using UnifyAdmin.Core.Segment;
using UnifyAdmin.Core.Sources;
using UnifyAdmin.Security;
using UnifyAdmin.Core.Sync;

var builder = WebApplication.CreateBuilder(args);

// Serve MudBlazor's and the framework's assets from a plain build in every environment (a published app has them in wwwroot).
builder.WebHost.UseStaticWebAssets();

builder.Services.AddPersistence(builder.Configuration, builder.Environment);
builder.Services.AddSecurity(builder.Configuration, builder.Environment);
builder.AddWebSecurity();
builder.Services.AddSalesforceClient(builder.Configuration);
builder.Services.AddSegmentClients(builder.Configuration);
builder.Services.AddSources();
builder.Services.AddDestinations();
builder.Services.AddModels();
builder.Services.AddMappings();
builder.Services.AddSync(builder.Configuration);
builder.Services.AddMonitoring(builder.Configuration);
builder.Services.AddMonitoringWeb();
builder.Services.AddDemo(builder.Configuration);
builder.Services.AddWeb();

var app = builder.Build();

await app.PrepareDatabaseAsync();
app.UseWebSecurity();
app.UseWeb();
app.UseMonitoring();
app.MapOperations();
app.MapMonitoring();
app.MapDemo();
app.MapWeb();

app.Run();

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
