import check from "../../analyzer/checks/unawaited-factory.js";
import { runCheckTable } from "../utils/check-tester.js";
import table from "./unawaited-factory.cases.js";

runCheckTable(check, table);
