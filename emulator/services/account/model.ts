import type { OrganizationStore } from "../organizations/store";
import type { RegionStore } from "./store";

/** What the Account Management operations need of the emulator's state. */
export interface AccountManagementState {
  readonly regions: RegionStore;
  /** Who may name another account (`AccountId`): the management account and delegated administrators. */
  readonly organization: OrganizationStore;
}

/** The model's `httpError` traits. */
export const ERROR_STATUS: Readonly<Record<string, number>> = {
  AccessDeniedException: 403,
  ValidationException: 400,
  TooManyRequestsException: 429,
  InternalServerException: 500,
};
