import check from "../../analyzer/checks/lifecycle-order/index.js";
import { runRuleTable } from "../utils/rule-table.js";
import table from "./lifecycle-order.cases.js";

runRuleTable(check, table);
