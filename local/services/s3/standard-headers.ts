import type { StandardHeaders } from './object-store';

/**
 * The representation members of PutObject, CopyObject and CreateMultipartUpload, as the model types them
 * (Expires is a string in the model, kept as the client sent it; the SDK's type says Date).
 */
export interface StandardHeaderMembers {
  readonly CacheControl?: string | undefined;
  readonly ContentDisposition?: string | undefined;
  readonly ContentEncoding?: string | undefined;
  readonly ContentLanguage?: string | undefined;
  readonly Expires?: string | Date | undefined;
}

/** What is stored of a request's representation headers. */
export function storedHeaders(input: StandardHeaderMembers): StandardHeaders {
  const headers: Record<string, string> = {};
  if (input.CacheControl !== undefined) headers.CacheControl = input.CacheControl;
  if (input.ContentDisposition !== undefined) headers.ContentDisposition = input.ContentDisposition;
  if (input.ContentEncoding !== undefined) headers.ContentEncoding = input.ContentEncoding;
  if (input.ContentLanguage !== undefined) headers.ContentLanguage = input.ContentLanguage;
  if (input.Expires !== undefined)
    headers.Expires = input.Expires instanceof Date ? input.Expires.toUTCString() : input.Expires;
  return headers;
}

/** The `response-*` overrides GetObject accepts, as the model types them. */
export interface ResponseOverrides {
  readonly ResponseCacheControl?: string | undefined;
  readonly ResponseContentDisposition?: string | undefined;
  readonly ResponseContentEncoding?: string | undefined;
  readonly ResponseContentLanguage?: string | undefined;
  readonly ResponseContentType?: string | undefined;
  readonly ResponseExpires?: Date | undefined;
}

/** The answer's representation members: stored values, each replaced by its `response-*` override if given. */
export function answeredHeaders(
  stored: StandardHeaders & { readonly ContentType?: string },
  overrides: ResponseOverrides = {},
) {
  const expires = overrides.ResponseExpires?.toUTCString() ?? stored.Expires;
  const pick = (override: string | undefined, value: string | undefined) => override ?? value;
  const headers = {
    CacheControl: pick(overrides.ResponseCacheControl, stored.CacheControl),
    ContentDisposition: pick(overrides.ResponseContentDisposition, stored.ContentDisposition),
    ContentEncoding: pick(overrides.ResponseContentEncoding, stored.ContentEncoding),
    ContentLanguage: pick(overrides.ResponseContentLanguage, stored.ContentLanguage),
    ContentType: pick(overrides.ResponseContentType, stored.ContentType) ?? 'binary/octet-stream',
    Expires: expires,
  };
  return Object.fromEntries(Object.entries(headers).filter(([, value]) => value !== undefined)) as Partial<
    typeof headers
  >;
}
