import {
  checkExecutionParameters,
  executionParameterList,
  parameterSpecs,
} from '../../../pipeline/execution-parameters';

const definition = {
  Parameters: [
    { Name: 'Count', Type: 'Integer', DefaultValue: 1 },
    { Name: 'Threshold', Type: 'Float', DefaultValue: 3.0 },
    { Name: 'Flag', Type: 'Boolean', DefaultValue: true },
    {
      Name: 'Status',
      Type: 'String',
      DefaultValue: 'PendingManualApproval',
      EnumValues: ['Approved', 'Rejected', 'PendingManualApproval'],
    },
    { Name: 'Required', Type: 'String' },
  ],
};

describe('parameterSpecs', () => {
  it('lists the declared parameters', () => {
    expect(parameterSpecs(definition)).toEqual([
      { name: 'Count', type: 'Integer', defaultValue: 1 },
      { name: 'Threshold', type: 'Float', defaultValue: 3 },
      { name: 'Flag', type: 'Boolean', defaultValue: true },
      {
        name: 'Status',
        type: 'String',
        defaultValue: 'PendingManualApproval',
        enumValues: ['Approved', 'Rejected', 'PendingManualApproval'],
      },
      { name: 'Required', type: 'String' },
    ]);
    expect(parameterSpecs({})).toEqual([]);
  });
});

describe('checkExecutionParameters', () => {
  it('accepts values of the right types, as strings the way the service passes them or as JS values', () => {
    expect(
      checkExecutionParameters(definition, {
        Count: '5',
        Threshold: '2.5e0',
        Flag: 'FALSE',
        Status: 'Approved',
        Required: 'x',
      }),
    ).toEqual([]);
    expect(
      checkExecutionParameters(definition, { Count: 5, Threshold: 2, Flag: false, Required: 'x' }),
    ).toEqual([]);
  });

  it('reports unknown names, wrong types, values outside EnumValues and missing required values', () => {
    expect(
      checkExecutionParameters(definition, {
        Cuont: 1,
        Count: '1.5',
        Threshold: 'high',
        Flag: 'yes',
        Status: 'Maybe',
      }),
    ).toEqual([
      {
        path: 'PipelineParameters.Cuont',
        message:
          'unknown parameter "Cuont" (did you mean "Count"?); the pipeline declares Count, Threshold, Flag, Status, Required',
      },
      {
        path: 'PipelineParameters.Count',
        message: 'value "1.5" does not fit "Count" (Integer); expected a whole number such as 5',
      },
      {
        path: 'PipelineParameters.Threshold',
        message: 'value "high" does not fit "Threshold" (Float); expected a number such as 2.5',
      },
      {
        path: 'PipelineParameters.Flag',
        message: 'value "yes" does not fit "Flag" (Boolean); expected true or false',
      },
      {
        path: 'PipelineParameters.Status',
        message:
          'value "Maybe" is not allowed for "Status"; expected one of Approved, Rejected, PendingManualApproval',
      },
      {
        path: 'PipelineParameters.Required',
        message: 'parameter "Required" (String) has no default; give it a value',
      },
    ]);
  });

  it('reports values longer than the service accepts', () => {
    expect(checkExecutionParameters(definition, { Required: 'x'.repeat(1025) })).toEqual([
      {
        path: 'PipelineParameters.Required',
        message: 'value of "Required" is 1025 characters; at most 1024 are allowed',
      },
    ]);
  });
});

describe('executionParameterList', () => {
  it('turns values into the StartPipelineExecution list of strings', () => {
    expect(executionParameterList({ Count: 5, Flag: true, Status: 'Approved' })).toEqual([
      { Name: 'Count', Value: '5' },
      { Name: 'Flag', Value: 'true' },
      { Name: 'Status', Value: 'Approved' },
    ]);
  });
});
