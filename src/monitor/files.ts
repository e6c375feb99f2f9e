/**
 * Model Monitor's data-quality files (statistics.json, constraints.json, constraint_violations.json), as
 * the analyzer (pipeline/scripts/monitor/analyzer.py) and Model Monitor's own container write them.
 */

export type InferredType = 'Integral' | 'Fractional' | 'String' | 'Unknown';

export interface CommonStatistics {
  readonly num_present: number;
  readonly num_missing: number;
}

export interface NumericalStatistics {
  readonly common: CommonStatistics;
  readonly mean: number;
  readonly sum: number;
  readonly std_dev: number;
  readonly min: number;
  readonly max: number;
  readonly distribution: {
    readonly kll: {
      readonly buckets: readonly { lower_bound: number; upper_bound: number; count: number }[];
      readonly sketch: { readonly parameters: { c: number; k: number }; readonly data: readonly number[][] };
    };
  };
}

export interface StringStatistics {
  readonly common: CommonStatistics;
  readonly distinct_count: number;
  readonly distribution: {
    readonly categorical: { readonly buckets: readonly { value: string; count: number }[] };
  };
}

export interface FeatureStatistics {
  readonly name: string;
  readonly inferred_type: InferredType;
  readonly numerical_statistics?: NumericalStatistics;
  readonly string_statistics?: StringStatistics;
}

export interface Statistics {
  readonly version: number;
  readonly dataset: { readonly item_count: number };
  readonly features: readonly FeatureStatistics[];
}

export interface FeatureConstraint {
  readonly name: string;
  readonly inferred_type: InferredType;
  readonly completeness: number;
  readonly num_constraints?: { readonly is_non_negative: boolean };
  readonly string_constraints?: { readonly domains: readonly string[] };
}

export interface Constraints {
  readonly version: number;
  readonly features: readonly FeatureConstraint[];
  readonly monitoring_config: {
    readonly evaluate_constraints?: string;
    readonly emit_metrics?: string;
    readonly datatype_check_threshold?: number;
    readonly domain_content_threshold?: number;
    readonly distribution_constraints?: {
      readonly perform_comparison?: string;
      readonly comparison_threshold?: number;
      readonly comparison_method?: string;
      readonly categorical_comparison_threshold?: number;
      readonly categorical_drift_method?: string;
    };
  };
}

export type ConstraintCheckType =
  | 'data_type_check'
  | 'completeness_check'
  | 'baseline_drift_check'
  | 'missing_column_check'
  | 'extra_column_check'
  | 'categorical_values_check';

export interface Violation {
  readonly feature_name: string;
  readonly constraint_check_type: ConstraintCheckType;
  readonly description: string;
}

export interface ConstraintViolations {
  readonly violations: readonly Violation[];
}

/** A CloudWatch metric record the analyzer writes for publishing (JSON Lines). */
export interface MetricRecord {
  readonly MetricName: string;
  readonly Timestamp: string;
  readonly Dimensions: readonly { Name: string; Value: string }[];
  readonly Value: number;
}
