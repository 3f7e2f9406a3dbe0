/** The offline plan's own fixture programs, which this project's tests plan with its policy pack. */
import * as path from "node:path";

export const planFixture = (name: string) => path.resolve(__dirname, "../../packages/plan/test/fixtures", name);
