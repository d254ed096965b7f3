import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";

type SignedInput = {
  method?: string;
  path?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
};

/** For tests: a raw HTTP request signed with the official SigV4 signer, to look at bytes on the wire. */
export async function signedFetch(
  server: { url: string; credentials: { accessKeyId: string; secretAccessKey: string; region: string } },
  service: string,
  request: SignedInput,
): Promise<Response> {
  return fetch(await signedRequest(server, service, request));
}

/** The same, as a fetch Request (for `handle()` in-process). */
export async function signedRequest(
  server: { url: string; credentials: { accessKeyId: string; secretAccessKey: string; region: string } },
  service: string,
  request: SignedInput,
): Promise<Request> {
  const url = new URL(server.url);
  const headers: Record<string, string> = { host: url.host, ...request.headers };
  const signer = new SignatureV4({
    credentials: server.credentials,
    region: server.credentials.region,
    service,
    sha256: Hash.bind(null, "sha256"),
    uriEscapePath: service !== "s3",
    applyChecksum: service === "s3",
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method ?? "POST",
      protocol: "http:",
      hostname: url.hostname,
      port: Number(url.port),
      path: request.path ?? "/",
      query: request.query ?? {},
      headers,
      body: request.body,
    }),
  );
  const query = new URLSearchParams(request.query ?? {}).toString().replace(/\+/g, "%20");
  const { host: _host, ...sent } = signed.headers;
  return new Request(`${server.url}${signed.path}${query ? `?${query}` : ""}`, {
    method: signed.method,
    headers: sent,
    body: request.body as string | undefined,
  });
}
