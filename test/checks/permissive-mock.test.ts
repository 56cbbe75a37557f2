import check from "../../analyzer/checks/permissive-mock/index.js";
import { runCheckTable } from "../utils/check-tester.js";
import table from "./permissive-mock.cases.js";

runCheckTable(check, table);
