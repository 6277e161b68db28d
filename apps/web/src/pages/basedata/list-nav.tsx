import {
  ApartmentOutlined,
  BankOutlined,
  CalendarOutlined,
  ContactsOutlined,
  CreditCardOutlined,
  SwapOutlined,
  TagsOutlined,
  TeamOutlined,
} from '@ant-design/icons';
import type { ReactNode } from 'react';

/** The path of a base-data list page. */
export const listPath = (key: string): string => `/basedata/${key}`;

/** Menu icons of the base-data lists the server knows today. */
export const listIcons: Readonly<Record<string, ReactNode>> = {
  regions: <ApartmentOutlined />,
  'fiscal-years': <CalendarOutlined />,
  agencies: <TeamOutlined />,
  'code-items': <TagsOutlined />,
  'economic-mappings': <SwapOutlined />,
  'agent-banks': <BankOutlined />,
  'bank-accounts': <CreditCardOutlined />,
  payees: <ContactsOutlined />,
};
