/** The sections of a CloudFormation template, as parsed from JSON or YAML (intrinsics still unresolved). */
export interface Template {
  readonly AWSTemplateFormatVersion?: string;
  readonly Description?: string;
  readonly Metadata?: unknown;
  readonly Transform?: unknown;
  readonly Parameters: Readonly<Record<string, ParameterDeclaration>>;
  readonly Rules: Readonly<Record<string, RuleDeclaration>>;
  readonly Mappings: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>;
  readonly Conditions: Readonly<Record<string, unknown>>;
  readonly Resources: Readonly<Record<string, ResourceDeclaration>>;
  readonly Outputs: Readonly<Record<string, OutputDeclaration>>;
}

export interface ParameterDeclaration {
  readonly Type: string;
  readonly Default?: unknown;
  readonly AllowedValues?: readonly unknown[];
  readonly AllowedPattern?: string;
  readonly MinLength?: number | string;
  readonly MaxLength?: number | string;
  readonly MinValue?: number | string;
  readonly MaxValue?: number | string;
  readonly NoEcho?: boolean | string;
  readonly Description?: string;
  readonly ConstraintDescription?: string;
}

export interface RuleDeclaration {
  readonly RuleCondition?: unknown;
  readonly Assertions: readonly { readonly Assert: unknown; readonly AssertDescription?: string }[];
}

export interface ResourceDeclaration {
  readonly Type: string;
  readonly Properties?: Readonly<Record<string, unknown>>;
  readonly DependsOn?: string | readonly string[];
  readonly Condition?: string;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
  readonly Metadata?: unknown;
}

export interface OutputDeclaration {
  readonly Value: unknown;
  readonly Description?: unknown;
  readonly Export?: { readonly Name: unknown };
  readonly Condition?: string;
}

/** A resolved parameter value as `Ref` returns it: a string, or a list for list types. */
export type ParameterValue = string | string[];
