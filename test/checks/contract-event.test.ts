import check from "../../analyzer/checks/contract-event/index.js";
import { runCheckTable } from "../utils/check-tester.js";
import table from "./contract-event.cases.js";

runCheckTable(check, table);
