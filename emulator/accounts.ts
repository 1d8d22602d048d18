/** The accounts and regions the emulator's fixtures know. */
export const DEFAULT_ACCOUNT = "111111111111";
export const SECOND_ACCOUNT = "222222222222";
export const KNOWN_ACCOUNTS = [DEFAULT_ACCOUNT, SECOND_ACCOUNT] as const;
export const REGIONS = ["us-east-1", "eu-west-1", "ap-southeast-2"] as const;

/** The IAM user behind every access key the emulator did not issue. */
export const DEFAULT_USER_NAME = "tether-demo";
