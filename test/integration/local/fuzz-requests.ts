/**
 * Malformed requests for each protocol the local AWS speaks, generated from a few well-formed seeds by
 * seeded mutations (truncation at many points, byte flips, wrong framing), so a run is reproducible.
 */
export interface RawRequest {
  readonly protocol: string;
  readonly label: string;
  readonly bytes: Buffer;
}

interface Seed {
  readonly protocol: string;
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const SEEDS: readonly Seed[] = [
  json(
    'SageMaker.CreatePipeline',
    '{"PipelineName":"p","RoleArn":"arn:aws:iam::000000000000:role/r","ClientRequestToken":"tttttttttttttttttttttttttttttttt","PipelineDefinition":"{}"}',
  ),
  json('SageMaker.ListPipelines', '{"MaxResults":10,"SortBy":"Name","CreatedAfter":1700000000}'),
  json('AmazonSSM.PutParameter', '{"Name":"/fuzz/p","Value":"v","Type":"String","Overwrite":true}'),
  json(
    'AmazonSSM.DescribeParameters',
    '{"ParameterFilters":[{"Key":"Name","Option":"BeginsWith","Values":["/"]}]}',
  ),
  rest(
    'lambda',
    'POST',
    '/2015-03-31/functions',
    '{"FunctionName":"f","Role":"arn:aws:iam::000000000000:role/r","Handler":"x.y","Code":{}}',
  ),
  rest(
    'lambda',
    'POST',
    '/2015-03-31/functions/record-model-name/invocations?Qualifier=%24LATEST',
    '{"model_name":"m"}',
  ),
  rest('lambda', 'GET', '/2015-03-31/functions/?MaxItems=2&Marker=x', ''),
  rest('sagemaker-runtime', 'POST', '/endpoints/none/invocations', '1,2,3'),
  query(
    'Action=CreateStack&Version=2010-05-15&StackName=s&TemplateBody=%7B%7D&Parameters.member.1.ParameterKey=k&Parameters.member.1.ParameterValue=v',
  ),
  query('Action=DescribeStacks&Version=2010-05-15&StackName=s'),
  xml('POST', '/fuzz-bucket?delete', '<Delete><Object><Key>a</Key></Object><Quiet>true</Quiet></Delete>'),
  xml(
    'POST',
    '/fuzz-bucket/k?uploadId=u',
    '<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"e"</ETag></Part></CompleteMultipartUpload>',
  ),
  xml('PUT', '/fuzz-bucket/k', 'hello world'),
];

function json(target: string, body: string): Seed {
  const headers = { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' };
  return { protocol: 'awsJson1_1', label: target, method: 'POST', path: '/', headers, body };
}

function rest(service: string, method: string, path: string, body: string): Seed {
  return { protocol: 'restJson1', label: `${service} ${method} ${path}`, method, path, headers: {}, body };
}

function query(body: string): Seed {
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  return { protocol: 'awsQuery', label: body.slice(0, 30), method: 'POST', path: '/', headers, body };
}

function xml(method: string, path: string, body: string): Seed {
  return { protocol: 'restXml', label: `${method} ${path}`, method, path, headers: {}, body };
}

/** A deterministic pseudo-random sequence (mulberry32). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function head(seed: Seed, extra: Record<string, string>, path = seed.path): string {
  const headers = { host: '127.0.0.1', ...seed.headers, ...extra };
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `${seed.method} ${path} HTTP/1.1\r\n${lines.join('\r\n')}\r\n\r\n`;
}

const withLength = (seed: Seed, body: Buffer, path?: string) =>
  Buffer.concat([Buffer.from(head(seed, { 'content-length': String(body.length) }, path)), body]);

/**
 * Every mutation of every seed; `perSeed` random mutations besides the fixed ones. `host` is the Host header
 * (`127.0.0.1:<port>`): the local AWS refuses any other, so a wrong one would test only that refusal.
 */
export function fuzzRequests(options: { perSeed: number; host: string; seed?: number }): RawRequest[] {
  const { perSeed, host, seed = 1 } = options;
  const next = random(seed);
  const out: RawRequest[] = [];
  for (const unhosted of SEEDS) {
    const s: Seed = { ...unhosted, headers: { host, ...unhosted.headers } };
    const body = Buffer.from(s.body);
    const add = (label: string, bytes: Buffer) =>
      out.push({ protocol: s.protocol, label: `${s.label}: ${label}`, bytes });
    // Body cut short of its declared length: the client then goes away.
    add(
      'truncated body',
      Buffer.concat([Buffer.from(head(s, { 'content-length': String(body.length + 10) })), body]),
    );
    // Bodies without Content-Length: chunked transfer, well and badly framed.
    add(
      'chunked',
      Buffer.from(
        head(s, { 'transfer-encoding': 'chunked' }) + `${body.length.toString(16)}\r\n${s.body}\r\n0\r\n\r\n`,
      ),
    );
    add(
      'bad chunk size',
      Buffer.from(head(s, { 'transfer-encoding': 'chunked' }) + `zz\r\n${s.body}\r\n0\r\n\r\n`),
    );
    add('chunked, no end', Buffer.from(head(s, { 'transfer-encoding': 'chunked' }) + `5\r\nhello\r\n`));
    // aws-chunked content encoding, cut short and malformed (the issue 14 crash).
    add(
      'aws-chunked truncated',
      withLength(
        { ...s, headers: { ...s.headers, 'content-encoding': 'aws-chunked' } },
        Buffer.from('5\r\nhello\r\n'),
      ),
    );
    add(
      'aws-chunked bad header',
      withLength(
        {
          ...s,
          headers: {
            ...s.headers,
            'content-encoding': 'aws-chunked',
            'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER',
          },
        },
        Buffer.from('q;chunk-signature=x\r\nhello\r\n0\r\n\r\n'),
      ),
    );
    add(
      'huge header',
      Buffer.from(head(s, { 'x-amz-meta-big': 'x'.repeat(64 * 1024), 'content-length': '0' })),
    );
    add('bad percent-encoding in path', withLength(s, body, `${s.path.split('?')[0]}%zz%`));
    add('bad request line', Buffer.from(`${s.method} ${s.path} HTTP/9.9 junk\r\n\r\n`));
    for (let i = 0; i < perSeed; i++) {
      const bytes = Buffer.from(body);
      if (next() < 0.5) {
        add(
          `cut at ${Math.floor(next() * body.length)}`,
          withLength(s, bytes.subarray(0, Math.floor(next() * body.length))),
        );
        continue;
      }
      const flips = 1 + Math.floor(next() * 4);
      for (let f = 0; f < flips && bytes.length > 0; f++)
        bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
      add(`${flips} byte flips`, withLength(s, bytes));
    }
  }
  return out;
}
