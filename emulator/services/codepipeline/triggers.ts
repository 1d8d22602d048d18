import type { FilterCriteria, GitPushFilter } from "./declaration";
import { glob } from "./glob";

/**
 * Which pushes a V2 pipeline's push filters accept: a filter with tags accepts no branch push;
 * otherwise the branch must pass its branch criteria and, when it has file-path criteria, one of
 * the files must pass them. Excludes win over includes; an absent list of filters accepts every
 * push.
 */
export function pushAccepted(filters: GitPushFilter[] | undefined, branch: string, files: string[] | undefined): boolean {
  if (!filters) return true;
  return filters.some((f) => {
    if (f.tags) return false;
    if (f.branches && !criteriaMatch(f.branches, [branch])) return false;
    if (f.filePaths) return files !== undefined && criteriaMatch(f.filePaths, files);
    return true;
  });
}

/** Whether one of `values` is excluded by no pattern and included by one (or there are no includes). */
export function criteriaMatch(c: FilterCriteria, values: string[]): boolean {
  return values.some(
    (v) => !(c.excludes ?? []).some((p) => glob(p).test(v)) && (c.includes === undefined || c.includes.some((p) => glob(p).test(v))),
  );
}
