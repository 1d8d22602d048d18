/**
 * Tether's domain types, one home for every layer: the AWS wrappers reshape into them, the store
 * keeps them, the data layer returns them and components render them. Nothing here imports
 * anything of Tether's (only types and constants live here).
 */
export * from "./alerts";
export * from "./discovery";
export * from "./inventory";
export * from "./latency";
export * from "./pipelines";
export * from "./watch";
