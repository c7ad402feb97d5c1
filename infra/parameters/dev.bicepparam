// Development: one small instance, trial bot tier, no zone redundancy. Secrets come from the shell
// (never from this file): export them before `az deployment group create`, or leave them unset to
// keep the values already in Key Vault.
using '../main.bicep'

param environmentName = 'dev'
param containerImage = readEnvironmentVariable('CONTAINER_IMAGE', 'mappa-bot:dev')
param containerRegistryServer = readEnvironmentVariable('CONTAINER_REGISTRY_SERVER', '')
param minReplicas = 1
param maxReplicas = 2
param botSku = 'F0'
param mongoComputeTier = 'M10'
param mongoHighAvailability = false
param mappaAreaId = 'dev-area'
param mappaAreaName = 'Development MAPPA area'
param allowedTenantIds = readEnvironmentVariable('ALLOWED_TENANT_IDS', '')
param bootstrapAdminAadIds = readEnvironmentVariable('BOOTSTRAP_ADMIN_AAD_IDS', '')
param logRetentionDays = 30
param mongoAdminPassword = readEnvironmentVariable('MONGO_ADMIN_PASSWORD', '')
param downloadLinkSecret = readEnvironmentVariable('DOWNLOAD_LINK_SECRET', '')
param findHashSecret = readEnvironmentVariable('FIND_HASH_SECRET', '')
param adminApiTokenSha256 = readEnvironmentVariable('ADMIN_API_TOKEN_SHA256', '')
