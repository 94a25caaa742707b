import { App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { FireLensChecks } from "../../src/cdk/index.js";
import { SeedStack } from "./stack.js";

const app = new App();
new SeedStack(app, "FireLensPreflightSeed");
Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new FireLensChecks(app));
