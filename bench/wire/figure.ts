/** One measured figure, with the budget it is held against (set in `bench/run.ts`). */
export interface Figure {
  name: string;
  /** `undefined` when it could not be measured; `note` says why. */
  value: number | undefined;
  unit: string;
  budget?: { op: ">=" | "<="; value: number };
  note?: string;
  /** The budget failed whatever the value (for example, not every update was delivered). */
  failed?: boolean;
}

/** Percentile of sorted-or-not samples (nearest rank). */
export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  ]!;
}

export const median = (samples: number[]) => percentile(samples, 50);

/** Whether a figure holds its budget; `undefined` when it has none or was not measured. */
export function holds(figure: Figure): boolean | undefined {
  if (figure.budget && figure.failed) return false;
  if (!figure.budget || figure.value === undefined) return undefined;
  return figure.budget.op === ">="
    ? figure.value >= figure.budget.value
    : figure.value <= figure.budget.value;
}

/** Thrown by a driver whose component is not in the checkout; the table says so. */
export class NotBuiltError extends Error {
  constructor(component: string, options?: ErrorOptions) {
    super(`${component} not built`, options);
    this.name = "NotBuiltError";
  }
}

/** Throws {@linkcode NotBuiltError} naming `component` unless every file exists. */
export function requireBuilt(component: string, files: string[]): void {
  for (const file of files) {
    try {
      Deno.statSync(file);
    } catch (error) {
      throw new NotBuiltError(`${component} (${file})`, { cause: error });
    }
  }
}
