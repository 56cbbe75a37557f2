import dualInterface from "../../analyzer/checks/dual-interface.js";
import { runCheckTable } from "../utils/check-tester.js";
import table from "./dual-interface.cases.js";

runCheckTable(dualInterface, table);
