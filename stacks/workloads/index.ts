import type { z } from "zod";
import type { WorkloadName } from "../config";
import type { Workload } from "./workload";
import { transactional } from "./transactional";
import { analytics } from "./analytics";
import { backend } from "./backend";
import { partner } from "./partner";

export const workloadModules: Record<WorkloadName, Workload<z.ZodRawShape>> = { transactional, analytics, backend, partner };
