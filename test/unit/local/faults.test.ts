import { FaultInjector, parseFaultConfig } from '../../../local/faults';

describe('fault settings', () => {
  it('accepts rates, latency, services and a seed', () => {
    const config = { throttleRate: 0.2, errorRate: 0.1, latencyMs: 5, services: ['s3'], seed: 3 };
    expect(parseFaultConfig(config)).toEqual(config);
  });

  it.each([
    [{ throttleRate: 1.5 }, 'throttleRate must be a number from 0 to 1; got 1.5'],
    [{ errorRate: '0.1' }, 'errorRate must be a number from 0 to 1; got "0.1"'],
    [{ throttleRate: 0.6, errorRate: 0.6 }, 'throttleRate + errorRate must not exceed 1'],
    [{ latencyMs: -1 }, 'latencyMs must be a number >= 0; got -1'],
    [{ services: 's3' }, 'services must be a list of service names'],
    [{ seed: 1.5 }, 'seed must be an integer; got 1.5'],
    [{ throttle: 0.3 }, 'unknown fault setting throttle'],
    [[], 'fault config must be a JSON object'],
  ])('refuses %j', (config, message) => {
    expect(() => parseFaultConfig(config)).toThrow(message);
  });
});

describe('fault decisions', () => {
  it('follows the rates (reproducibly with a seed)', () => {
    const draw = (seed: number) => {
      const injector = new FaultInjector({ throttleRate: 0.25, errorRate: 0.25, seed });
      return Array.from({ length: 4000 }, () => injector.decide('ssm').fault ?? 'none');
    };
    const decisions = draw(42);
    expect(draw(42)).toEqual(decisions);
    const share = (kind: string) =>
      decisions.filter((decision) => decision === kind).length / decisions.length;
    expect(share('throttle')).toBeCloseTo(0.25, 1);
    expect(share('error')).toBeCloseTo(0.25, 1);
    expect(share('none')).toBeCloseTo(0.5, 1);
  });

  it('spares services not listed and adds latency to those listed', () => {
    const injector = new FaultInjector({ throttleRate: 1, latencyMs: 20, services: ['sagemaker'] });
    expect(injector.decide('s3')).toEqual({ latencyMs: 0 });
    expect(injector.decide('sagemaker')).toEqual({ latencyMs: 20, fault: 'throttle' });
  });

  it('can be reconfigured while running', () => {
    const injector = new FaultInjector({ errorRate: 1 });
    expect(injector.decide('ssm').fault).toBe('error');
    injector.configure({});
    expect(injector.decide('ssm').fault).toBeUndefined();
  });
});
