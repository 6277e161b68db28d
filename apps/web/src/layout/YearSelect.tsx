import { Select } from 'antd';
import { fmt } from '../locales/format';
import { zhCN } from '../locales/zh-CN';
import { useScope } from '../scope/scope-context';
import { useYearOptions } from '../scope/use-year-options';
import { useSession } from '../session/session-context';

export function YearSelect() {
  const { me, can } = useSession();
  const { region, year, setYear } = useScope();
  const years = useYearOptions(region, me.defaultYear, can('basedata.read'));
  const options = (years.includes(year) ? years : [year, ...years]).map((y) => ({
    value: y,
    label: fmt(zhCN.header.yearOption, { year: y }),
  }));
  return (
    <Select
      data-testid="year-select"
      aria-label={zhCN.header.year}
      size="small"
      style={{ width: 110 }}
      value={year}
      options={options}
      onChange={(v: number) => setYear(v)}
    />
  );
}
