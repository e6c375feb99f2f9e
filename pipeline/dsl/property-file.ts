import type { Step } from './step';
import type { GetExpression, PropertyFileDefinition } from './wire';

/**
 * A JSON file a processing step writes into one of its outputs, declared so that later steps can read
 * values from it with `jsonGet(step.propertyFiles.Name, 'a.b.c')`.
 */
export class PropertyFile {
  constructor(
    readonly step: Step,
    readonly name: string,
    readonly outputName: string,
    readonly filePath: string,
  ) {}

  toWire(): GetExpression {
    return { Get: `Steps.${this.step.name}.PropertyFiles.${this.name}` };
  }

  toDefinition(): PropertyFileDefinition {
    return { PropertyFileName: this.name, OutputName: this.outputName, FilePath: this.filePath };
  }
}
