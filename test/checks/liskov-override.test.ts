import liskovOverride from "../../analyzer/checks/liskov-override.js";
import { runCheckTable } from "../utils/check-tester.js";
import table from "./liskov-override.cases.js";

runCheckTable(liskovOverride, table);
