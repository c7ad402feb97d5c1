// Production: at least two instances (one may restart while the other serves), zone-redundant
// database, 180 days of logs. Secrets come from the shell or stay as they are in Key Vault.
using '../main.bicep'

param environmentName = 'prod'
param containerImage = readEnvironmentVariable('CONTAINER_IMAGE')
param containerRegistryServer = readEnvironmentVariable('CONTAINER_REGISTRY_SERVER', '')
param minReplicas = 2
param maxReplicas = 8
param botSku = 'S1'
param botAppType = 'UserAssignedMSI'
param mongoComputeTier = 'M30'
param mongoStorageGb = 128
param mongoHighAvailability = true
param mappaAreaId = readEnvironmentVariable('MAPPA_AREA_ID')
param mappaAreaName = readEnvironmentVariable('MAPPA_AREA_NAME')
param mappaJurisdiction = readEnvironmentVariable('MAPPA_JURISDICTION', 'england-wales')
param publicHostName = readEnvironmentVariable('PUBLIC_HOST_NAME', '')
param allowedTenantIds = readEnvironmentVariable('ALLOWED_TENANT_IDS', '')
param bootstrapAdminAadIds = readEnvironmentVariable('BOOTSTRAP_ADMIN_AAD_IDS', '')
param graphClientId = readEnvironmentVariable('GRAPH_CLIENT_ID', '')
param secretOfficersGroupId = readEnvironmentVariable('SECRET_OFFICERS_GROUP_ID', '')
param logRetentionDays = 180
param mongoAdminPassword = readEnvironmentVariable('MONGO_ADMIN_PASSWORD', '')
param downloadLinkSecret = readEnvironmentVariable('DOWNLOAD_LINK_SECRET', '')
param findHashSecret = readEnvironmentVariable('FIND_HASH_SECRET', '')
param adminApiTokenSha256 = readEnvironmentVariable('ADMIN_API_TOKEN_SHA256', '')
param graphClientSecret = readEnvironmentVariable('GRAPH_CLIENT_SECRET', '')
