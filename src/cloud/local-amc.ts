/**
 * The local AMC instance's identity: what a caller passes as the AMC API's headers and path, and
 * the AWS account that plays Amazon's side of the collaboration.
 */
export const LOCAL_AMC = {
  instanceId: "amcidbridge01",
  /** Amazon-Advertising-API-ClientId */
  clientId: "amzn1.application-oa2-client.idbridgelocal",
  /** Amazon-Advertising-API-AdvertiserId (the AMC account identifier) */
  accountId: "ENTITYIDBRIDGELOCAL",
  /** Amazon-Advertising-API-MarketplaceId (amazon.com) */
  marketplaceId: "ATVPDKIKX0DER",
  /** The AWS account that owns the AMC side: the collaboration, its membership, the TARGET namespace and the workflows. */
  awsAccountId: "999999999999",
  collaborationName: "Amazon Marketing Cloud",
  /** The Amazon identity graph behind the TARGET namespace. */
  graph: {
    schemaName: "amazon_identity_graph",
    namespaceName: "amazon-identity-graph",
    glueDatabase: "amc_identity",
    glueTable: "amazon_identity_graph",
  },
} as const;
