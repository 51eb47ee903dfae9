# One recipe for every Sdp image; PROJECT names the project folder to publish. Build from the repository root:
#   docker build --build-arg PROJECT=Orchestrator.Api   -t <registry>/sdp-orchestrator:<tag> .
#   docker build --build-arg PROJECT=Provisioner.Worker -t <registry>/sdp-provisioner:<tag> .
#   docker build --build-arg PROJECT=Cleanup.Worker     -t <registry>/sdp-cleanup:<tag> .
#   docker build --build-arg PROJECT=ScenarioRunner     -t <registry>/sdp-scenario-runner:<tag> .
#   docker build --build-arg PROJECT=Templates.Host     -t <registry>/url-shortener:<tag> .   # the candidate images:
#   docker build --build-arg PROJECT=Templates.Host --build-arg TEMPLATE=rate_limiter -t <registry>/rate-limiter:<tag> .
#     (likewise TEMPLATE=distributed_cache → distributed-cache, TEMPLATE=notification_system → notification-system,
#      TEMPLATE=custom → custom-service, the generic service that serves a custom deployment's spec)
#   docker build --build-arg PROJECT=Simulator          -t <registry>/sdp-simulator:<tag> .   # the Cloud Run stand-in: test environments only
ARG PROJECT=Orchestrator.Api

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG PROJECT
WORKDIR /src
# Restore first, from the project files alone, so the layer survives source-only changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY Contracts/Contracts.csproj Contracts/
COPY Templates.Catalog/Templates.Catalog.csproj Templates.Catalog/
COPY Templates/Templates.csproj Templates/
COPY Provisioning/Provisioning.csproj Provisioning/
COPY ServiceDefaults/ServiceDefaults.csproj ServiceDefaults/
COPY ${PROJECT}/${PROJECT}.csproj ${PROJECT}/
RUN dotnet restore ${PROJECT}/${PROJECT}.csproj
COPY . .
RUN dotnet publish ${PROJECT}/${PROJECT}.csproj -c Release --no-restore -o /app /p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
ARG PROJECT
# Which template a Templates.Host image runs (a problem type); other images ignore it.
ARG TEMPLATE=url_shortener
WORKDIR /app
COPY --from=build /app .
# Cloud Run sends traffic to 8080 by default (the template listens on PORT, which Cloud Run sets to the same);
# the image's own non-root user (APP_UID) runs the process.
ENV ASPNETCORE_URLS=http://+:8080 \
    SDP_ENTRY_ASSEMBLY=${PROJECT}.dll \
    SDP_TEMPLATE=${TEMPLATE}
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["sh", "-c", "exec dotnet \"$SDP_ENTRY_ASSEMBLY\""]
