#!/usr/bin/env bash
# Creates the Google Cloud infrastructure Sdp shares between all candidates: APIs, Cloud SQL (PostgreSQL 15),
# Memorystore (Redis 7 with AUTH), an Artifact Registry repository, a subnet for Direct VPC egress and three service
# accounts. Safe to run again: every step looks before it creates, and IAM bindings are additive.
# Prints the configuration Sdp needs at the end.
set -euo pipefail

PROJECT="${PROJECT:?set PROJECT to the Google Cloud project id}"
REGION="${REGION:-europe-west1}"
NETWORK="${NETWORK:-default}"
SUBNET="${SUBNET:-sdp-candidates}"
SUBNET_RANGE="${SUBNET_RANGE:-10.8.0.0/26}"
SQL_INSTANCE="${SQL_INSTANCE:-sdp-postgres}"
SQL_TIER="${SQL_TIER:-db-custom-1-3840}"
SQL_DATABASE="${SQL_DATABASE:-sdpdb}"
REDIS_INSTANCE="${REDIS_INSTANCE:-sdp-redis}"
REDIS_SIZE_GB="${REDIS_SIZE_GB:-1}"
REPOSITORY="${REPOSITORY:-sdp}"
PROVISIONER_SA_NAME="${PROVISIONER_SA_NAME:-sdp-provisioner}"
CANDIDATE_SA_NAME="${CANDIDATE_SA_NAME:-sdp-candidate}"
RUNNER_SA_NAME="${RUNNER_SA_NAME:-sdp-scenario-runner}"

PROVISIONER_SA="${PROVISIONER_SA_NAME}@${PROJECT}.iam.gserviceaccount.com"
CANDIDATE_SA="${CANDIDATE_SA_NAME}@${PROJECT}.iam.gserviceaccount.com"
RUNNER_SA="${RUNNER_SA_NAME}@${PROJECT}.iam.gserviceaccount.com"

log() { printf '==> %s\n' "$*" >&2; }

gcloud config set project "${PROJECT}" >/dev/null

log "Enabling APIs"
gcloud services enable \
  run.googleapis.com \
  sqladmin.googleapis.com \
  redis.googleapis.com \
  artifactregistry.googleapis.com \
  secretmanager.googleapis.com \
  vpcaccess.googleapis.com \
  compute.googleapis.com \
  servicenetworking.googleapis.com

log "Subnet ${SUBNET} for Direct VPC egress of candidate services"
if ! gcloud compute networks subnets describe "${SUBNET}" --region "${REGION}" >/dev/null 2>&1; then
  gcloud compute networks subnets create "${SUBNET}" \
    --network "${NETWORK}" --region "${REGION}" --range "${SUBNET_RANGE}"
fi

log "Cloud SQL PostgreSQL 15 instance ${SQL_INSTANCE}"
if ! gcloud sql instances describe "${SQL_INSTANCE}" >/dev/null 2>&1; then
  gcloud sql instances create "${SQL_INSTANCE}" \
    --database-version POSTGRES_15 --tier "${SQL_TIER}" --region "${REGION}" \
    --storage-auto-increase
fi
if ! gcloud sql databases describe "${SQL_DATABASE}" --instance "${SQL_INSTANCE}" >/dev/null 2>&1; then
  gcloud sql databases create "${SQL_DATABASE}" --instance "${SQL_INSTANCE}"
fi
SQL_CONNECTION_NAME="$(gcloud sql instances describe "${SQL_INSTANCE}" --format 'value(connectionName)')"

log "Memorystore Redis 7 instance ${REDIS_INSTANCE} with AUTH"
if ! gcloud redis instances describe "${REDIS_INSTANCE}" --region "${REGION}" >/dev/null 2>&1; then
  gcloud redis instances create "${REDIS_INSTANCE}" \
    --region "${REGION}" --size "${REDIS_SIZE_GB}" --redis-version redis_7_0 \
    --network "projects/${PROJECT}/global/networks/${NETWORK}" --enable-auth
fi
REDIS_HOST="$(gcloud redis instances describe "${REDIS_INSTANCE}" --region "${REGION}" --format 'value(host)')"
REDIS_PORT="$(gcloud redis instances describe "${REDIS_INSTANCE}" --region "${REGION}" --format 'value(port)')"

log "Artifact Registry repository ${REPOSITORY}"
if ! gcloud artifacts repositories describe "${REPOSITORY}" --location "${REGION}" >/dev/null 2>&1; then
  gcloud artifacts repositories create "${REPOSITORY}" \
    --repository-format docker --location "${REGION}" --description "Sdp platform and template images"
fi
REGISTRY="${REGION}-docker.pkg.dev/${PROJECT}/${REPOSITORY}"

ensure_service_account() {
  local name="$1" description="$2"
  if ! gcloud iam service-accounts describe "${name}@${PROJECT}.iam.gserviceaccount.com" >/dev/null 2>&1; then
    gcloud iam service-accounts create "${name}" --display-name "${description}"
  fi
}

grant() {
  local member="$1" role="$2"
  gcloud projects add-iam-policy-binding "${PROJECT}" \
    --member "serviceAccount:${member}" --role "${role}" --condition None >/dev/null
}

log "Service accounts"
ensure_service_account "${PROVISIONER_SA_NAME}" "Sdp provisioner"
ensure_service_account "${CANDIDATE_SA_NAME}" "Sdp candidate services"
ensure_service_account "${RUNNER_SA_NAME}" "Sdp scenario runner"

for role in roles/run.admin roles/iam.serviceAccountUser roles/secretmanager.admin roles/cloudsql.client; do
  grant "${PROVISIONER_SA}" "${role}"
done
for role in roles/cloudsql.client roles/secretmanager.secretAccessor; do
  grant "${CANDIDATE_SA}" "${role}"
done
# The scenario runner calls candidate services; on the project, the grant covers every one of them when they check
# invoker IAM (CloudRun:ServiceDefaults:Public=false). Public candidate services need no grant.
grant "${RUNNER_SA}" roles/run.invoker

cat <<SETTINGS

Shared infrastructure is ready. Configuration for the provisioner and cleanup workers
(environment variable form; '__' separates configuration sections):

CloudRun__Endpoint=https://run.googleapis.com
CloudRun__Authentication=GoogleDefault
CloudRun__Project=${PROJECT}
CloudRun__Region=${REGION}
CloudRun__UseOperationWait=true
CloudRun__SecretMode=SecretManager
CloudRun__ServiceDefaults__ServiceAccount=${CANDIDATE_SA}
CloudRun__ServiceDefaults__CloudSqlInstances__0=${SQL_CONNECTION_NAME}
CloudRun__ServiceDefaults__VpcNetwork=${NETWORK}
CloudRun__ServiceDefaults__VpcSubnetwork=${SUBNET}
CloudRun__ServiceDefaults__VpcEgress=PRIVATE_RANGES_ONLY
CloudRun__Templates__url-shortener__Image=${REGISTRY}/url-shortener:<tag>
CloudRun__Templates__custom-service__Image=${REGISTRY}/custom-service:<tag>

Configuration for the scenario runner (deploy/gcp/scenario-runner.yaml):

Scenarios__CallAs=IdToken      (Anonymous when candidate services are public)

Run the provisioner as:       ${PROVISIONER_SA}
Run the scenario runner as:   ${RUNNER_SA}
Images go to:                 ${REGISTRY}
Cloud SQL connection name:    ${SQL_CONNECTION_NAME} (database ${SQL_DATABASE}; socket /cloudsql/${SQL_CONNECTION_NAME})
Redis:                        ${REDIS_HOST}:${REDIS_PORT}
Redis AUTH string:            gcloud redis instances get-auth-string ${REDIS_INSTANCE} --region ${REGION}
SETTINGS
