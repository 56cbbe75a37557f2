import check from "../../analyzer/checks/silent-emit-drop/index.js";
import { runCheckTable } from "../utils/check-tester.js";
import table from "./silent-emit-drop.cases.js";

runCheckTable(check, table);
