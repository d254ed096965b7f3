/**
 * S3's REST bindings (path-style), from the s3 2006-03-01 API model: which operation a method, path
 * and subresource mean, and which members travel as query parameters and headers.
 */

/** The operation of a path-style request, or undefined when S3 would answer NotImplemented here. */
export function s3Operation(
  method: string,
  bucket: string | undefined,
  key: string | undefined,
  query: ReadonlyMap<string, string>,
  headers: Record<string, string>,
): string | undefined {
  const has = (name: string) => query.has(name);
  if (!bucket) return method === "GET" ? "ListBuckets" : undefined;
  if (key === undefined) {
    if (method === "GET") {
      if (has("location")) return "GetBucketLocation";
      if (has("uploads")) return "ListMultipartUploads";
      if (has("versioning")) return "GetBucketVersioning";
      if (has("tagging")) return "GetBucketTagging";
      if (has("policy")) return "GetBucketPolicy";
      if (has("encryption")) return "GetBucketEncryption";
      if (has("publicAccessBlock")) return "GetPublicAccessBlock";
      if (has("ownershipControls")) return "GetBucketOwnershipControls";
      if (has("object-lock")) return "GetObjectLockConfiguration";
      if (has("versions")) return "ListObjectVersions";
      return query.get("list-type") === "2" ? "ListObjectsV2" : "ListObjects";
    }
    if (method === "PUT") {
      if (has("versioning")) return "PutBucketVersioning";
      if (has("tagging")) return "PutBucketTagging";
      if (has("policy")) return "PutBucketPolicy";
      if (has("encryption")) return "PutBucketEncryption";
      if (has("publicAccessBlock")) return "PutPublicAccessBlock";
      if (has("ownershipControls")) return "PutBucketOwnershipControls";
      if (has("object-lock")) return "PutObjectLockConfiguration";
      return query.size === 0 ? "CreateBucket" : undefined;
    }
    if (method === "DELETE") {
      if (has("tagging")) return "DeleteBucketTagging";
      if (has("policy")) return "DeleteBucketPolicy";
      if (has("encryption")) return "DeleteBucketEncryption";
      if (has("publicAccessBlock")) return "DeletePublicAccessBlock";
      if (has("ownershipControls")) return "DeleteBucketOwnershipControls";
      return query.size === 0 ? "DeleteBucket" : undefined;
    }
    if (method === "HEAD") return "HeadBucket";
    if (method === "POST" && has("delete")) return "DeleteObjects";
    return undefined;
  }
  switch (method) {
    case "PUT":
      if (has("partNumber") && has("uploadId"))
        return headers["x-amz-copy-source"] ? "UploadPartCopy" : "UploadPart";
      if (has("tagging")) return "PutObjectTagging";
      return headers["x-amz-copy-source"] ? "CopyObject" : "PutObject";
    case "GET":
      if (has("uploadId")) return "ListParts";
      if (has("tagging")) return "GetObjectTagging";
      if (has("attributes")) return "GetObjectAttributes";
      return "GetObject";
    case "HEAD":
      return "HeadObject";
    case "DELETE":
      if (has("uploadId")) return "AbortMultipartUpload";
      if (has("tagging")) return "DeleteObjectTagging";
      return "DeleteObject";
    case "POST":
      if (has("uploads")) return "CreateMultipartUpload";
      if (has("uploadId")) return "CompleteMultipartUpload";
      return undefined;
    default:
      return undefined;
  }
}

type WireType = "string" | "integer" | "boolean" | "timestamp";

/** Query parameter → [member, type]. Subresource flags (uploads, delete, …) carry no member. */
export const S3_QUERY: Record<string, [string, WireType]> = {
  prefix: ["Prefix", "string"],
  delimiter: ["Delimiter", "string"],
  "max-keys": ["MaxKeys", "integer"],
  "continuation-token": ["ContinuationToken", "string"],
  "start-after": ["StartAfter", "string"],
  "encoding-type": ["EncodingType", "string"],
  "fetch-owner": ["FetchOwner", "boolean"],
  marker: ["Marker", "string"],
  uploadId: ["UploadId", "string"],
  partNumber: ["PartNumber", "integer"],
  "max-parts": ["MaxParts", "integer"],
  "part-number-marker": ["PartNumberMarker", "string"],
  "key-marker": ["KeyMarker", "string"],
  "upload-id-marker": ["UploadIdMarker", "string"],
  "version-id-marker": ["VersionIdMarker", "string"],
  "max-uploads": ["MaxUploads", "integer"],
  versionId: ["VersionId", "string"],
  "response-content-type": ["ResponseContentType", "string"],
  "response-content-disposition": ["ResponseContentDisposition", "string"],
  "response-content-encoding": ["ResponseContentEncoding", "string"],
  "response-content-language": ["ResponseContentLanguage", "string"],
  "response-cache-control": ["ResponseCacheControl", "string"],
  "response-expires": ["ResponseExpires", "timestamp"],
};

/** Request header → [member, type]; x-amz-meta-* becomes Metadata. */
export const S3_REQUEST_HEADERS: Record<string, [string, WireType]> = {
  "content-type": ["ContentType", "string"],
  "content-length": ["ContentLength", "integer"],
  "content-md5": ["ContentMD5", "string"],
  "cache-control": ["CacheControl", "string"],
  "content-disposition": ["ContentDisposition", "string"],
  "content-encoding": ["ContentEncoding", "string"],
  "content-language": ["ContentLanguage", "string"],
  expires: ["Expires", "timestamp"],
  "if-match": ["IfMatch", "string"],
  "if-none-match": ["IfNoneMatch", "string"],
  "if-modified-since": ["IfModifiedSince", "timestamp"],
  "if-unmodified-since": ["IfUnmodifiedSince", "timestamp"],
  range: ["Range", "string"],
  "x-amz-acl": ["ACL", "string"],
  "x-amz-storage-class": ["StorageClass", "string"],
  "x-amz-server-side-encryption": ["ServerSideEncryption", "string"],
  "x-amz-tagging": ["Tagging", "string"],
  "x-amz-copy-source": ["CopySource", "string"],
  "x-amz-copy-source-range": ["CopySourceRange", "string"],
  "x-amz-metadata-directive": ["MetadataDirective", "string"],
  "x-amz-sdk-checksum-algorithm": ["ChecksumAlgorithm", "string"],
  "x-amz-checksum-algorithm": ["ChecksumAlgorithm", "string"],
  "x-amz-checksum-crc32": ["ChecksumCRC32", "string"],
  "x-amz-checksum-crc32c": ["ChecksumCRC32C", "string"],
  "x-amz-checksum-crc64nvme": ["ChecksumCRC64NVME", "string"],
  "x-amz-checksum-sha1": ["ChecksumSHA1", "string"],
  "x-amz-checksum-sha256": ["ChecksumSHA256", "string"],
  "x-amz-checksum-type": ["ChecksumType", "string"],
  "x-amz-checksum-mode": ["ChecksumMode", "string"],
  "x-amz-expected-bucket-owner": ["ExpectedBucketOwner", "string"],
  "x-amz-object-ownership": ["ObjectOwnership", "string"],
  "x-amz-bucket-object-lock-enabled": ["ObjectLockEnabledForBucket", "boolean"],
  "x-amz-mp-object-size": ["MpuObjectSize", "integer"],
};

/** Output member → response header; Metadata becomes x-amz-meta-*. */
export const S3_RESPONSE_HEADERS: Record<string, string> = {
  ETag: "etag",
  ContentLength: "content-length",
  ContentType: "content-type",
  LastModified: "last-modified",
  ContentRange: "content-range",
  AcceptRanges: "accept-ranges",
  CacheControl: "cache-control",
  ContentDisposition: "content-disposition",
  ContentEncoding: "content-encoding",
  ContentLanguage: "content-language",
  Expires: "expires",
  Location: "location",
  VersionId: "x-amz-version-id",
  DeleteMarker: "x-amz-delete-marker",
  StorageClass: "x-amz-storage-class",
  ServerSideEncryption: "x-amz-server-side-encryption",
  Expiration: "x-amz-expiration",
  ChecksumCRC32: "x-amz-checksum-crc32",
  ChecksumCRC32C: "x-amz-checksum-crc32c",
  ChecksumCRC64NVME: "x-amz-checksum-crc64nvme",
  ChecksumSHA1: "x-amz-checksum-sha1",
  ChecksumSHA256: "x-amz-checksum-sha256",
  ChecksumType: "x-amz-checksum-type",
  BucketRegion: "x-amz-bucket-region",
  AccessPointAlias: "x-amz-access-point-alias",
  PartsCount: "x-amz-mp-parts-count",
  TagCount: "x-amz-tagging-count",
  MissingMeta: "x-amz-missing-meta",
  CopySourceVersionId: "x-amz-copy-source-version-id",
  RequestCharged: "x-amz-request-charged",
  BucketKeyEnabled: "x-amz-server-side-encryption-bucket-key-enabled",
  AbortDate: "x-amz-abort-date",
  AbortRuleId: "x-amz-abort-rule-id",
};

/** Members that stay headers even for operations whose answer is an XML document. */
export const S3_HEADERS_BESIDE_XML = new Set([
  "VersionId",
  "ServerSideEncryption",
  "Expiration",
  "RequestCharged",
  "BucketKeyEnabled",
  "CopySourceVersionId",
  "AbortDate",
  "AbortRuleId",
]);

/** Operations answering an XML document: root element, and for payload-bound outputs the member holding it. */
export const S3_XML_OUTPUT: Record<string, { root: string; payload?: string }> = {
  ListBuckets: { root: "ListAllMyBucketsResult" },
  ListObjects: { root: "ListBucketResult" },
  ListObjectsV2: { root: "ListBucketResult" },
  ListObjectVersions: { root: "ListVersionsResult" },
  ListMultipartUploads: { root: "ListMultipartUploadsResult" },
  ListParts: { root: "ListPartsResult" },
  CreateMultipartUpload: { root: "InitiateMultipartUploadResult" },
  CompleteMultipartUpload: { root: "CompleteMultipartUploadResult" },
  DeleteObjects: { root: "DeleteResult" },
  CopyObject: { root: "CopyObjectResult", payload: "CopyObjectResult" },
  UploadPartCopy: { root: "CopyPartResult", payload: "CopyPartResult" },
  GetBucketVersioning: { root: "VersioningConfiguration" },
  GetBucketTagging: { root: "Tagging" },
  GetObjectTagging: { root: "Tagging" },
  GetBucketEncryption: {
    root: "ServerSideEncryptionConfiguration",
    payload: "ServerSideEncryptionConfiguration",
  },
  GetPublicAccessBlock: { root: "PublicAccessBlockConfiguration", payload: "PublicAccessBlockConfiguration" },
  GetBucketOwnershipControls: { root: "OwnershipControls", payload: "OwnershipControls" },
  GetObjectLockConfiguration: { root: "ObjectLockConfiguration", payload: "ObjectLockConfiguration" },
  GetObjectAttributes: { root: "GetObjectAttributesResponse" },
};

/** XML request bodies: operation → [input member, root element]. */
export const S3_XML_INPUT: Record<string, [string, string]> = {
  CreateBucket: ["CreateBucketConfiguration", "CreateBucketConfiguration"],
  CompleteMultipartUpload: ["MultipartUpload", "CompleteMultipartUpload"],
  DeleteObjects: ["Delete", "Delete"],
  PutBucketVersioning: ["VersioningConfiguration", "VersioningConfiguration"],
  PutBucketTagging: ["Tagging", "Tagging"],
  PutObjectTagging: ["Tagging", "Tagging"],
  PutBucketEncryption: ["ServerSideEncryptionConfiguration", "ServerSideEncryptionConfiguration"],
  PutPublicAccessBlock: ["PublicAccessBlockConfiguration", "PublicAccessBlockConfiguration"],
  PutBucketOwnershipControls: ["OwnershipControls", "OwnershipControls"],
  PutObjectLockConfiguration: ["ObjectLockConfiguration", "ObjectLockConfiguration"],
};

/** Input XML: element → member for S3's flattened lists (<Part> items are MultipartUpload.Parts). */
export const S3_XML_INPUT_LISTS: Record<string, string> = {
  Part: "Parts",
  Object: "Objects",
  Tag: "TagSet",
  // Flattened <Rule> items of ServerSideEncryptionConfiguration and OwnershipControls (not
  // ObjectLockConfiguration's single Rule: see S3_XML_INPUT_SINGLE).
  Rule: "Rules",
  EncryptionType: "EncryptionType",
};

/** Elements named like a list item that are a single structure in these documents. */
export const S3_XML_INPUT_SINGLE: Record<string, ReadonlySet<string>> = {
  ObjectLockConfiguration: new Set(["Rule"]),
};

/** Output lists: member → how its items are written. */
export const S3_XML_OUTPUT_LISTS: Record<string, { item: string; flattened: boolean }> = {
  Contents: { item: "Contents", flattened: true },
  CommonPrefixes: { item: "CommonPrefixes", flattened: true },
  Parts: { item: "Part", flattened: true },
  Deleted: { item: "Deleted", flattened: true },
  Errors: { item: "Error", flattened: true },
  Uploads: { item: "Upload", flattened: true },
  Versions: { item: "Version", flattened: true },
  DeleteMarkers: { item: "DeleteMarker", flattened: true },
  Buckets: { item: "Bucket", flattened: false },
  TagSet: { item: "Tag", flattened: false },
  Rules: { item: "Rule", flattened: true },
  EncryptionType: { item: "EncryptionType", flattened: true },
};

/** Successful answers without a body that S3 sends as 204. */
export const S3_NO_CONTENT = new Set([
  "DeleteObject",
  "DeleteBucket",
  "AbortMultipartUpload",
  "DeleteBucketTagging",
  "DeleteBucketPolicy",
  "DeleteBucketEncryption",
  "DeletePublicAccessBlock",
  "DeleteBucketOwnershipControls",
  "DeleteObjectTagging",
  "PutBucketPolicy",
]);

/** Output members that are numbers in XML; everything else is text. */
export const S3_INPUT_NUMBERS = new Set([
  "PartNumber",
  "MaxKeys",
  "MaxParts",
  "MaxUploads",
  "ObjectSize",
  "Days",
  "Years",
]);
export const S3_INPUT_BOOLEANS = new Set([
  "Quiet",
  "BlockPublicAcls",
  "IgnorePublicAcls",
  "BlockPublicPolicy",
  "RestrictPublicBuckets",
  "BucketKeyEnabled",
]);
