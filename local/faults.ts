/** Fault injection: answer a share of calls with throttling or internal errors, or slow every call down. */
export interface FaultConfig {
  /** Share of calls (0–1) answered with the protocol's throttling error. */
  readonly throttleRate?: number;
  /** Share of calls (0–1) answered with 500 InternalFailure. */
  readonly errorRate?: number;
  /** Latency added to every affected call, in milliseconds. */
  readonly latencyMs?: number;
  /** Services affected (`s3`, `ssm`, `sagemaker`, ...); all when absent. */
  readonly services?: readonly string[];
  /** Seed for the random draws, making a run's sequence of faults reproducible. */
  readonly seed?: number;
}

export type FaultDecision = { readonly latencyMs: number; readonly fault?: 'throttle' | 'error' };

export class FaultInjector {
  private config: FaultConfig = {};
  private random: () => number = Math.random;

  constructor(config: FaultConfig = {}) {
    this.configure(config);
  }

  /** Replaces the configuration after checking it; throws an Error naming the bad field. */
  configure(config: unknown): FaultConfig {
    this.config = parseFaultConfig(config);
    this.random = this.config.seed === undefined ? Math.random : seededRandom(this.config.seed);
    return this.config;
  }

  current(): FaultConfig {
    return this.config;
  }

  decide(service: string): FaultDecision {
    const { throttleRate = 0, errorRate = 0, latencyMs = 0, services } = this.config;
    if (services && !services.includes(service)) return { latencyMs: 0 };
    const draw = this.random();
    if (draw < throttleRate) return { latencyMs, fault: 'throttle' };
    if (draw < throttleRate + errorRate) return { latencyMs, fault: 'error' };
    return { latencyMs };
  }
}

/** The services of the local AWS, as fault settings and request logs name them. */
export const FAULT_SERVICES: readonly string[] = [
  's3',
  'ssm',
  'lambda',
  'sagemaker',
  'runtime.sagemaker',
  'cloudformation',
];

export function parseFaultConfig(value: unknown): FaultConfig {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(
      `fault config must be a JSON object like {"throttleRate":0.3}; got ${JSON.stringify(value)}`,
    );
  }
  const input = value as Record<string, unknown>;
  const known = ['throttleRate', 'errorRate', 'latencyMs', 'services', 'seed'];
  const extra = Object.keys(input).filter((name) => !known.includes(name));
  if (extra.length > 0)
    throw new Error(`unknown fault setting ${extra.join(', ')}; expected ${known.join(', ')}`);
  const config: { -readonly [K in keyof FaultConfig]: FaultConfig[K] } = {};
  for (const name of ['throttleRate', 'errorRate'] as const) {
    const rate = input[name];
    if (rate === undefined) continue;
    if (typeof rate !== 'number' || !(rate >= 0 && rate <= 1)) {
      throw new Error(`${name} must be a number from 0 to 1; got ${JSON.stringify(rate)}`);
    }
    config[name] = rate;
  }
  if ((config.throttleRate ?? 0) + (config.errorRate ?? 0) > 1) {
    throw new Error(
      `throttleRate + errorRate must not exceed 1; got ${config.throttleRate} + ${config.errorRate}`,
    );
  }
  if (input.latencyMs !== undefined) {
    if (typeof input.latencyMs !== 'number' || !(input.latencyMs >= 0)) {
      throw new Error(`latencyMs must be a number >= 0; got ${JSON.stringify(input.latencyMs)}`);
    }
    config.latencyMs = input.latencyMs;
  }
  if (input.services !== undefined) {
    const services = input.services;
    if (!Array.isArray(services) || !services.every((name) => typeof name === 'string')) {
      throw new Error(
        `services must be a list of service names like ["s3","sagemaker"]; got ${JSON.stringify(services)}`,
      );
    }
    const unknown = (services as string[]).filter((name) => !FAULT_SERVICES.includes(name));
    if (unknown.length > 0)
      throw new Error(
        `services: no service ${unknown.join(', ')}; expected some of ${FAULT_SERVICES.join(', ')}`,
      );
    config.services = services as string[];
  }
  if (input.seed !== undefined) {
    if (!Number.isInteger(input.seed))
      throw new Error(`seed must be an integer; got ${JSON.stringify(input.seed)}`);
    config.seed = input.seed as number;
  }
  return config;
}

/** mulberry32: a small, fast PRNG; good enough to spread faults reproducibly. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
