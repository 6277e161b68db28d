import {
  approveBankAccountHandler,
  closeBankAccountHandler,
  registerBankAccountHandler,
  saveAgentBankHandler,
  savePayeeHandler,
} from './handlers/accounts';
import { saveAgencyHandler } from './handlers/agencies';
import { loadCodeSetsHandler, saveCodeItemHandler, saveEconomicMappingHandler } from './handlers/codes';
import { closeFiscalYearHandler, openFiscalYearHandler, saveRegionHandler } from './handlers/regions';

export const basedataHandlers = [
  saveRegionHandler,
  openFiscalYearHandler,
  closeFiscalYearHandler,
  saveAgencyHandler,
  loadCodeSetsHandler,
  saveCodeItemHandler,
  saveEconomicMappingHandler,
  saveAgentBankHandler,
  registerBankAccountHandler,
  approveBankAccountHandler,
  closeBankAccountHandler,
  savePayeeHandler,
];
