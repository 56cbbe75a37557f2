import check from "../../analyzer/checks/permissive-mock/index.js";
import { runRuleTable } from "../utils/rule-table.js";
import table from "./permissive-mock.cases.js";

runRuleTable(check, table);
