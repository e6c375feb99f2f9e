import { parseEvent } from '../../../src/lambda/record-model-name';

describe('record-model-name event', () => {
  it('takes the parameter name from the event, else from MODEL_NAME_PARAMETER', () => {
    expect(parseEvent({ model_name: 'm', parameter_name: '/p' }, {})).toEqual({
      modelName: 'm',
      parameterName: '/p',
    });
    expect(parseEvent({ model_name: 'm' }, { MODEL_NAME_PARAMETER: '/env/p' })).toEqual({
      modelName: 'm',
      parameterName: '/env/p',
    });
  });

  it.each([
    [null, 'the event must be an object like {"model_name": "..."}; got null'],
    [{ model_name: '' }, 'event.model_name must be a non-empty string; got ""'],
    [{ model_name: 3 }, 'event.model_name must be a non-empty string; got 3'],
    [
      { model_name: 'm', parameter_name: 7 },
      'event.parameter_name must be a non-empty string when set; got 7',
    ],
    [{ model_name: 'm' }, 'pass event.parameter_name or set the MODEL_NAME_PARAMETER environment variable'],
  ])('refuses %j', (event, message) => {
    expect(() => parseEvent(event, {})).toThrow(message);
  });
});
