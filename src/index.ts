export * from "./taskdef/model.js";
