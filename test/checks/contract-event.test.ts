import check from "../../analyzer/checks/contract-event/index.js";
import { runRuleTable } from "../utils/rule-table.js";
import table from "./contract-event.cases.js";

runRuleTable(check, table);
