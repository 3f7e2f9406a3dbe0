import type { DataSourceAnswer } from "./index";

export const alicloud: Record<string, DataSourceAnswer> = {};
