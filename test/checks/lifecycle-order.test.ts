import check from "../../analyzer/checks/lifecycle-order/index.js";
import { runCheckTable } from "../utils/check-tester.js";
import table from "./lifecycle-order.cases.js";

runCheckTable(check, table);
