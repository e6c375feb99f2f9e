import { Readable } from 'node:stream';

import { AwsChunkedDecoder, isAwsChunked } from '../../../local/protocols/aws-chunked';

async function decode(pieces: string[]): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of Readable.from(pieces.map((piece) => Buffer.from(piece))).pipe(
    new AwsChunkedDecoder(),
  )) {
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString();
}

describe('aws-chunked decoding', () => {
  const body = 'c\r\nfirst part, \r\nb\r\nsecond part\r\n0\r\nx-amz-checksum-crc32:VkFrlg==\r\n\r\n';

  it('strips chunk headers and trailers', async () => {
    expect(await decode([body])).toBe('first part, second part');
  });

  it('copes with any split of the input, including inside headers and CRLFs', async () => {
    for (let cut = 1; cut < body.length; cut++) {
      expect(await decode([body.slice(0, cut), body.slice(cut)])).toBe('first part, second part');
    }
  });

  it('ignores chunk signatures', async () => {
    expect(await decode(['5;chunk-signature=abc\r\nhello\r\n0;chunk-signature=def\r\n\r\n'])).toBe('hello');
  });

  it('fails on a truncated body and on a malformed header', async () => {
    await expect(decode(['5\r\nhel'])).rejects.toThrow(
      'You did not provide the number of bytes specified by the aws-chunked encoding',
    );
    await expect(decode(['zz\r\nhello\r\n'])).rejects.toThrow('malformed aws-chunked chunk header "zz"');
    await expect(decode(['5zz\r\nhello\r\n0\r\n\r\n'])).rejects.toThrow('malformed aws-chunked chunk header');
    await expect(decode(['3\r\nhello\r\n0\r\n\r\n'])).rejects.toThrow('longer than its declared size');
    await expect(decode(['5'.repeat(5000)])).rejects.toThrow('chunk header longer than 4096 bytes');
  });

  it('is recognised by Content-Encoding or the streaming payload hash', () => {
    expect(isAwsChunked('aws-chunked', undefined)).toBe(true);
    expect(isAwsChunked(undefined, 'STREAMING-UNSIGNED-PAYLOAD-TRAILER')).toBe(true);
    expect(isAwsChunked('gzip', 'UNSIGNED-PAYLOAD')).toBe(false);
  });
});
