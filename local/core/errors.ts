/**
 * An error with an AWS error code. The protocol layer serializes it in the wire shape of the service's
 * protocol, so SDK clients raise the same typed exception they would against AWS.
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly senderFault: boolean;
  /** Extra members of the error shape (e.g. ModelError's OriginalStatusCode), serialized beside the message. */
  readonly fields: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, options: AwsErrorOptions = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = options.status ?? 400;
    this.senderFault = options.senderFault ?? this.status < 500;
    this.fields = options.fields ?? {};
  }
}

export interface AwsErrorOptions {
  readonly status?: number;
  readonly senderFault?: boolean;
  readonly fields?: Readonly<Record<string, unknown>>;
}

export const validationError = (message: string) => new AwsError('ValidationException', message);

export const notFound = (code: string, message: string) => new AwsError(code, message, { status: 404 });

/** Any thrown value as an AwsError: unexpected failures become a 500 InternalFailure naming the cause. */
export function toAwsError(error: unknown): AwsError {
  if (error instanceof AwsError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new AwsError('InternalFailure', `internal error in the local AWS: ${message}`, { status: 500 });
}
