// MAPPA Assistant on Azure: Azure Bot in front, N stateless bot instances on Azure Container Apps,
// MongoDB behind (Cosmos DB for MongoDB vCore, or an external connection string), every secret in
// Key Vault, logs and telemetry in Application Insights over a Log Analytics workspace.
//
// infra/main.json is the same template in ARM JSON, kept by hand because the Bicep compiler cannot
// be installed here; tests/unit/infra.test.ts checks that both declare the same parameters,
// resources and outputs. Change both together.
//
//   az deployment group what-if --resource-group <rg> --parameters infra/parameters/prod.bicepparam
//   az deployment group create  --resource-group <rg> --parameters infra/parameters/prod.bicepparam

targetScope = 'resourceGroup'

@description('Short environment name, used in resource names (dev, test, prod).')
@allowed(['dev', 'test', 'prod'])
param environmentName string

@description('Prefix of every resource name: 3-12 lower-case letters or digits.')
@minLength(3)
@maxLength(12)
param namePrefix string = 'mappa'

@description('Region of every resource except the bot registration (global).')
param location string = resourceGroup().location

@description('Container image of the bot, e.g. myacr.azurecr.io/mappa-bot:<tag> (scripts/container-build.sh).')
param containerImage string

@description('Registry server to pull the image with the managed identity (it needs AcrPull); empty for a public image.')
param containerRegistryServer string = ''

@description('Fewest running instances. 2 or more keeps the bot up while one restarts.')
@minValue(1)
@maxValue(30)
param minReplicas int = 2

@description('Most running instances under load.')
@minValue(1)
@maxValue(30)
param maxReplicas int = 6

@description('Concurrent HTTP requests per instance before another instance is added.')
param concurrentRequestsPerReplica int = 40

@description('SingleTenant: an Entra app registration with a client secret. UserAssignedMSI: the bot signs in as the managed identity below, no secret.')
@allowed(['SingleTenant', 'UserAssignedMSI'])
param botAppType string = 'UserAssignedMSI'

@description('Entra app (client) id of the bot registration when botAppType is SingleTenant; ignored for UserAssignedMSI.')
param botAppId string = ''

@description('Microsoft Entra tenant of the bot and of its users.')
param tenantId string = subscription().tenantId

@description('Azure Bot pricing tier: F0 for trials, S1 for production (no message limits).')
@allowed(['F0', 'S1'])
param botSku string = 'S1'

@description('cosmosVCore: create a Cosmos DB for MongoDB (vCore) cluster. external: MONGODB_URI comes from the mongoUri parameter or is set in Key Vault by hand.')
@allowed(['cosmosVCore', 'external'])
param mongoMode string = 'cosmosVCore'

@description('Cosmos DB for MongoDB vCore compute tier (M25 and above for production workloads).')
param mongoComputeTier string = 'M30'

@description('Cosmos DB for MongoDB vCore storage per shard, in GB.')
param mongoStorageGb int = 32

@description('Zone-redundant high availability for the vCore cluster (production).')
param mongoHighAvailability bool = false

@description('Administrator user of the vCore cluster.')
param mongoAdminUser string = 'mappaadmin'

@description('Administrator password of the vCore cluster; empty keeps the one already set.')
@secure()
param mongoAdminPassword string = ''

@description('External MongoDB connection string (mongoMode external); empty keeps the Key Vault secret as it is.')
@secure()
param mongoUri string = ''

@description('Database name inside the cluster.')
param mongoDatabase string = 'mappa'

@description('Bot client secret (SingleTenant only); empty keeps the Key Vault secret as it is.')
@secure()
param microsoftAppPassword string = ''

@description('Base64 of 32+ random bytes signing document links; empty keeps the Key Vault secret as it is.')
@secure()
param downloadLinkSecret string = ''

@description('Base64 of 32+ random bytes keying the audit hash of find terms; empty keeps the Key Vault secret as it is.')
@secure()
param findHashSecret string = ''

@description('Hex SHA-256 of the admin bearer token for /api/audit/verify; empty keeps the Key Vault secret as it is.')
@secure()
param adminApiTokenSha256 string = ''

@description('App registration for Microsoft Graph (member sync, meeting invitations); empty = the bot\'s own, or no Graph.')
param graphClientId string = ''

@description('Client secret of graphClientId; empty keeps the Key Vault secret as it is.')
@secure()
param graphClientSecret string = ''

@description('Public https host of the bot (a custom domain bound to the container app); empty = the container app\'s own host name.')
param publicHostName string = ''

@description('MAPPA area this deployment serves (lower-case slug).')
param mappaAreaId string

@description('Display name of the MAPPA area.')
param mappaAreaName string

@description('england-wales or scotland.')
@allowed(['england-wales', 'scotland'])
param mappaJurisdiction string = 'england-wales'

@description('Comma-separated Entra tenant ids whose users may use the bot; empty = tenantId only.')
param allowedTenantIds string = ''

@description('Comma-separated Entra object ids of the first admins.')
param bootstrapAdminAadIds string = ''

@description('Protective marking on every card and document.')
param protectiveMarking string = 'OFFICIAL-SENSITIVE'

@description('Days Log Analytics keeps logs and traces.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 90

@description('Entra object id of the group allowed to manage Key Vault secrets (rotation); empty = none granted here.')
param secretOfficersGroupId string = ''

param tags object = {}

var baseName = '${namePrefix}-${environmentName}'
var allTags = union(tags, { application: 'mappa-assistant', environment: environmentName })
var keyVaultSecretsUserRole = '4633458b-17de-408a-b874-0445c86b69e6'
var keyVaultSecretsOfficerRole = 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
var useMsi = botAppType == 'UserAssignedMSI'
var useGraph = !empty(graphClientId)
var kvName = take('${replace(baseName, '-', '')}kv${uniqueString(resourceGroup().id)}', 24)
var appName = '${baseName}-bot'
var identityName = '${baseName}-id'
var identityId = resourceId('Microsoft.ManagedIdentity/userAssignedIdentities', identityName)
var kvUri = 'https://${kvName}${environment().suffixes.keyvaultDns}/'
// The container app's own host name is known before it exists, so the app can be told its public URL.
var publicHost = empty(publicHostName) ? '${appName}.${appEnvironment.properties.defaultDomain}' : publicHostName
var keyVaultReferences = concat(
  [
    { name: 'mongodb-uri', keyVaultUrl: '${kvUri}secrets/MONGODB-URI', identity: identityId }
    { name: 'download-link-secret', keyVaultUrl: '${kvUri}secrets/DOWNLOAD-LINK-SECRET', identity: identityId }
    { name: 'find-hash-secret', keyVaultUrl: '${kvUri}secrets/FIND-HASH-SECRET', identity: identityId }
    { name: 'admin-api-token-sha256', keyVaultUrl: '${kvUri}secrets/ADMIN-API-TOKEN-SHA256', identity: identityId }
  ],
  useMsi ? [] : [{ name: 'microsoft-app-password', keyVaultUrl: '${kvUri}secrets/MicrosoftAppPassword', identity: identityId }],
  useGraph ? [{ name: 'graph-client-secret', keyVaultUrl: '${kvUri}secrets/GRAPH-CLIENT-SECRET', identity: identityId }] : []
)
var secretEnv = concat(
  [
    { name: 'MONGODB_URI', secretRef: 'mongodb-uri' }
    { name: 'DOWNLOAD_LINK_SECRET', secretRef: 'download-link-secret' }
    { name: 'FIND_HASH_SECRET', secretRef: 'find-hash-secret' }
    { name: 'ADMIN_API_TOKEN_SHA256', secretRef: 'admin-api-token-sha256' }
  ],
  useMsi ? [] : [{ name: 'MicrosoftAppPassword', secretRef: 'microsoft-app-password' }],
  useGraph ? [{ name: 'GRAPH_CLIENT_SECRET', secretRef: 'graph-client-secret' }] : []
)
// Secrets this deployment writes: only those given a value, so a redeploy never overwrites a rotated secret.
var secretValues = [
  { secretName: 'MicrosoftAppPassword', secretValue: useMsi ? '' : microsoftAppPassword }
  { secretName: 'DOWNLOAD-LINK-SECRET', secretValue: downloadLinkSecret }
  { secretName: 'FIND-HASH-SECRET', secretValue: findHashSecret }
  { secretName: 'ADMIN-API-TOKEN-SHA256', secretValue: adminApiTokenSha256 }
  { secretName: 'GRAPH-CLIENT-SECRET', secretValue: graphClientSecret }
  { secretName: 'MONGODB-URI', secretValue: mongoMode == 'external' ? mongoUri : '' }
]

resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${baseName}-logs'
  location: location
  tags: allTags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: logRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${baseName}-appi'
  location: location
  tags: allTags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logs.id
    IngestionMode: 'LogAnalytics'
    DisableLocalAuth: false
  }
}

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: identityName
  location: location
  tags: allTags
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: kvName
  location: location
  tags: allTags
  properties: {
    tenantId: tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
  }
}

resource vaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUserRole)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRole)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource vaultSecretsOfficers 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(secretOfficersGroupId)) {
  name: guid(vault.id, secretOfficersGroupId, keyVaultSecretsOfficerRole)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsOfficerRole)
    principalId: secretOfficersGroupId
    principalType: 'Group'
  }
}

resource secrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for s in secretValues: if (!empty(s.secretValue)) {
    parent: vault
    name: s.secretName
    properties: {
      value: s.secretValue
      contentType: 'text/plain'
    }
  }
]

resource mongoCluster 'Microsoft.DocumentDB/mongoClusters@2024-07-01' = if (mongoMode == 'cosmosVCore') {
  name: '${baseName}-mongo'
  location: location
  tags: allTags
  properties: {
    administrator: {
      userName: mongoAdminUser
      password: mongoAdminPassword
    }
    serverVersion: '7.0'
    compute: { tier: mongoComputeTier }
    storage: { sizeGb: mongoStorageGb }
    sharding: { shardCount: 1 }
    highAvailability: { targetMode: mongoHighAvailability ? 'ZoneRedundantPreferred' : 'Disabled' }
    publicNetworkAccess: 'Enabled'
  }
}

// Azure services only (0.0.0.0): the container apps' outbound addresses are not fixed without a VNet.
resource mongoFirewall 'Microsoft.DocumentDB/mongoClusters/firewallRules@2024-07-01' = if (mongoMode == 'cosmosVCore') {
  parent: mongoCluster
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: {
    startIpAddress: '0.0.0.0'
    endIpAddress: '0.0.0.0'
  }
}

// The vCore connection string with its credentials is itself a secret: written only when a password is given.
resource mongoUriSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (mongoMode == 'cosmosVCore' && !empty(mongoAdminPassword)) {
  parent: vault
  name: 'MONGODB-URI'
  properties: {
    value: 'mongodb+srv://${uriComponent(mongoAdminUser)}:${uriComponent(mongoAdminPassword)}@${mongoCluster.name}.global.mongocluster.cosmos.azure.com/?tls=true&authMechanism=SCRAM-SHA-256&retrywrites=false&maxIdleTimeMS=120000'
    contentType: 'text/plain'
  }
}

resource appEnvironment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${baseName}-env'
  location: location
  tags: allTags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
    zoneRedundant: false
  }
}

resource containerApp 'Microsoft.App/containerApps@2024-03-01' = {
  name: appName
  location: location
  tags: allTags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    managedEnvironmentId: appEnvironment.id
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: 3978
        transport: 'auto'
        allowInsecure: false
      }
      registries: empty(containerRegistryServer) ? [] : [{ server: containerRegistryServer, identity: identityId }]
      // Every secret is a Key Vault reference read with the managed identity: none is held in the app.
      secrets: keyVaultReferences
    }
    template: {
      containers: [
        {
          name: 'bot'
          image: containerImage
          resources: { cpu: json('0.5'), memory: '1Gi' }
          env: concat(
            [
              { name: 'NODE_ENV', value: 'production' }
              { name: 'HOST', value: '0.0.0.0' }
              { name: 'PORT', value: '3978' }
              { name: 'BOT_AUTH', value: 'entra' }
              { name: 'MicrosoftAppType', value: botAppType }
              { name: 'MicrosoftAppId', value: useMsi ? identity.properties.clientId : botAppId }
              { name: 'MicrosoftAppTenantId', value: tenantId }
              { name: 'MONGODB_DB', value: mongoDatabase }
              { name: 'PUBLIC_BASE_URL', value: 'https://${publicHost}' }
              { name: 'MAPPA_AREA_ID', value: mappaAreaId }
              { name: 'MAPPA_AREA_NAME', value: mappaAreaName }
              { name: 'MAPPA_JURISDICTION', value: mappaJurisdiction }
              { name: 'ALLOWED_TENANT_IDS', value: allowedTenantIds }
              { name: 'BOOTSTRAP_ADMIN_AAD_IDS', value: bootstrapAdminAadIds }
              { name: 'PROTECTIVE_MARKING', value: protectiveMarking }
              { name: 'GRAPH_CLIENT_ID', value: graphClientId }
              { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsights.properties.ConnectionString }
            ],
            secretEnv
          )
          // The root filesystem is read-only in the image's design; /tmp is the one writable place.
          volumeMounts: [{ volumeName: 'tmp', mountPath: '/tmp' }]
          probes: [
            {
              type: 'Startup'
              httpGet: { path: '/healthz', port: 3978 }
              periodSeconds: 5
              failureThreshold: 24
            }
            {
              type: 'Liveness'
              httpGet: { path: '/healthz', port: 3978 }
              periodSeconds: 15
              failureThreshold: 3
            }
            {
              // Database unreachable: out of rotation, not restarted (a restart would not bring it back).
              type: 'Readiness'
              httpGet: { path: '/readyz', port: 3978 }
              periodSeconds: 10
              failureThreshold: 3
            }
          ]
        }
      ]
      volumes: [{ name: 'tmp', storageType: 'EmptyDir' }]
      scale: {
        minReplicas: minReplicas
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'http-concurrency'
            http: { metadata: { concurrentRequests: string(concurrentRequestsPerReplica) } }
          }
        ]
      }
    }
  }
  dependsOn: [vaultSecretsUser, secrets, mongoUriSecret]
}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${baseName}-bot-${uniqueString(resourceGroup().id)}'
  location: 'global'
  tags: allTags
  kind: 'azurebot'
  sku: { name: botSku }
  properties: {
    displayName: 'MAPPA Assistant (${environmentName})'
    endpoint: 'https://${publicHost}/api/messages'
    msaAppId: useMsi ? identity.properties.clientId : botAppId
    msaAppType: botAppType
    msaAppTenantId: tenantId
    msaAppMSIResourceId: useMsi ? identity.id : null
    developerAppInsightKey: appInsights.properties.InstrumentationKey
    disableLocalAuth: true
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: { isEnabled: true }
  }
}

output BOT_ID string = useMsi ? identity.properties.clientId : botAppId
output BOT_DOMAIN string = publicHost
output PUBLIC_BASE_URL string = 'https://${publicHost}'
output AZURE_CONTAINER_APP_NAME string = containerApp.name
output AZURE_CONTAINER_APP_RESOURCE_ID string = containerApp.id
output AZURE_KEY_VAULT_NAME string = vault.name
output AZURE_BOT_RESOURCE_ID string = bot.id
output APPLICATIONINSIGHTS_RESOURCE_ID string = appInsights.id
output MONGO_CLUSTER_NAME string = mongoMode == 'cosmosVCore' ? mongoCluster.name : ''
