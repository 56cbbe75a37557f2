import check from "../../analyzer/checks/silent-emit-drop/index.js";
import { runRuleTable } from "../utils/rule-table.js";
import table from "./silent-emit-drop.cases.js";

runRuleTable(check, table);
