/**
 * An error with an AWS error code. The protocol layer serializes it in the wire shape of the service's
 * protocol, so SDK clients raise the same typed exception they would against AWS.
 */
export class AwsError extends Error {
  readonly code: string;
  readonly status: number;
  readonly senderFault: boolean;

  constructor(code: string, message: string, options: { status?: number; senderFault?: boolean } = {}) {
    super(message);
    this.name = code;
    this.code = code;
    this.status = options.status ?? 400;
    this.senderFault = options.senderFault ?? this.status < 500;
  }
}

export const validationError = (message: string) => new AwsError('ValidationException', message);

export const notFound = (code: string, message: string) => new AwsError(code, message, { status: 404 });
