import { ReloadOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Space, Switch, Table, type TableColumnsType, Tag, Typography } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ApiError } from '../../../api/client';
import { formatYuan } from '../../../components/format';
import { useDirectReach, useFundPayments } from './api';
import { maskIdNo } from './mask';
import type { Beneficiary, Fund, FundPayment } from './types';

const money = (v: string) => <span className="fiscus-mono">{formatYuan(v)}</span>;

const kindNames: Record<string, string> = { person: '个人', enterprise: '企业' };
const payTypeNames: Record<string, string> = {
  direct: '财政直接支付',
  authorized: '财政授权支付',
  allocation: '实拨',
};
const originNames: Record<string, string> = {
  approve: '本级批复',
  receipt: '上级下达',
  advanceReceipt: '上级提前下达',
  allocate: '分配',
  transfer: '调剂',
  carryForward: '结转',
};

/** 惠企利民 records of one payment; id numbers masked in the middle. */
function BeneficiaryTable({ rows }: { rows: Beneficiary[] }) {
  return (
    <Table<Beneficiary>
      data-testid="beneficiaries"
      size="small"
      bordered
      rowKey={(b, i) => `${b.idNo}-${i}`}
      pagination={rows.length > 20 ? { pageSize: 20 } : false}
      dataSource={rows}
      locale={{ emptyText: '本笔支付无受益对象明细' }}
      columns={[
        { title: '类别', dataIndex: 'kind', render: (v: string) => kindNames[v] ?? v },
        { title: '名称', dataIndex: 'name' },
        {
          title: '证件号码',
          dataIndex: 'idNo',
          render: (v: string) => (
            <span className="fiscus-mono" data-testid="masked-id">
              {maskIdNo(v)}
            </span>
          ),
        },
        { title: '发放月份', dataIndex: 'payMonth', render: (v: string | null) => v ?? '-' },
        { title: '乡镇', dataIndex: 'townCode', render: (v: string | null) => v ?? '-' },
        { title: '村（社区）', dataIndex: 'villageCode', render: (v: string | null) => v ?? '-' },
        { title: '金额（元）', dataIndex: 'amount', align: 'right', render: money },
      ]}
    />
  );
}

/** The drill-down of one fund row: its paid payments, each with its beneficiary records. */
function FundPaymentsTable({ fund }: { fund: Fund }) {
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(10);
  const q = useFundPayments(fund.region, fund.fundKey, page, pageSize);
  if (q.isError)
    return (
      <Alert
        type="error"
        showIcon
        message={q.error instanceof ApiError ? q.error.body.message['zh-CN'] : '读取支付明细失败'}
      />
    );
  const columns: TableColumnsType<FundPayment> = [
    {
      title: '申请编号',
      dataIndex: 'applicationId',
      render: (id: string) => (
        <Link to={`/payments/${encodeURIComponent(id)}`} className="fiscus-mono">
          {id}
        </Link>
      ),
    },
    { title: '支付日期', dataIndex: 'paidOn', render: (v: string | null) => v ?? '-' },
    {
      title: '预算单位',
      key: 'agency',
      render: (_v, p) => [p.agencyCode, p.agencyName].filter(Boolean).join(' ') || '-',
    },
    {
      title: '指标',
      dataIndex: 'indicatorId',
      render: (v: string) => <span className="fiscus-mono">{v}</span>,
    },
    { title: '支付方式', dataIndex: 'payType', render: (v: string) => payTypeNames[v] ?? v },
    { title: '收款人', dataIndex: 'payeeName', render: (v: string | null) => v ?? '-' },
    { title: '用途', dataIndex: 'purpose' },
    { title: '凭证号', dataIndex: 'voucherNo', render: (v: string | null) => v ?? '-' },
    { title: '金额（元）', dataIndex: 'amount', align: 'right', render: money },
    { title: '受益对象', key: 'ben', align: 'right', render: (_v, p) => p.beneficiaries.length },
  ];
  return (
    <div data-testid={`fund-payments-${fund.fundKey}`}>
      <Typography.Text type="secondary" style={{ display: 'block', marginBottom: 6 }}>
        {fund.regionName} · 已支付 {q.data?.total ?? 0} 笔，合计 {formatYuan(q.data?.paid ?? '0')} 元
      </Typography.Text>
      <Table<FundPayment>
        size="small"
        bordered
        rowKey="applicationId"
        loading={q.isFetching}
        columns={columns}
        dataSource={q.data?.items ?? []}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: '该资金尚无已支付的支付申请' }}
        expandable={{
          expandedRowRender: (p) => <BeneficiaryTable rows={p.beneficiaries} />,
          rowExpandable: (p) => p.beneficiaries.length > 0,
        }}
        pagination={{
          current: page,
          pageSize,
          total: q.data?.total ?? 0,
          hideOnSinglePage: true,
          showSizeChanger: true,
          onChange: (p, s) => {
            setPage(p);
            setPageSize(s);
          },
        }}
      />
    </div>
  );
}

/** /monitor/direct-reach — 直达资金跟踪: per fund and region, 到位 → 分配 → 下达 → 支付 → 惠及对象. */
export function DirectReachPage() {
  const [sub, setSub] = useState(false);
  const report = useDirectReach(sub);
  const totals = report.data?.totals;

  const columns: TableColumnsType<Fund> = [
    ...(sub ? [{ title: '区划', dataIndex: 'regionName', fixed: 'left' as const }] : []),
    {
      title: '文号',
      key: 'docNo',
      fixed: 'left',
      render: (_v, f) =>
        f.docNo ? (
          f.docNo
        ) : f.supDocNo ? (
          <span>
            {f.supDocNo} <Tag>上级文号</Tag>
          </span>
        ) : (
          '-'
        ),
    },
    {
      title: '资金名称',
      key: 'title',
      render: (_v, f) => (
        <Space direction="vertical" size={0}>
          <span>{f.title ?? '-'}</span>
          <Typography.Text type="secondary" className="fiscus-mono" style={{ fontSize: 12 }}>
            {f.fundKey}
          </Typography.Text>
        </Space>
      ),
    },
    { title: '来源', dataIndex: 'originKind', render: (v: string) => originNames[v] ?? v },
    {
      title: '资金性质',
      key: 'fundType',
      render: (_v, f) => f.fundTypeName ?? f.fundTypeCode,
    },
    {
      title: '功能分类',
      key: 'expFunc',
      render: (_v, f) => [f.expFuncCode, f.expFuncName].filter(Boolean).join(' ') || '-',
    },
    { title: '到位（元）', dataIndex: 'received', align: 'right', render: money },
    { title: '已分配（元）', dataIndex: 'allocated', align: 'right', render: money },
    { title: '已下达（元）', dataIndex: 'issued', align: 'right', render: money },
    { title: '待分配（元）', dataIndex: 'unallocated', align: 'right', render: money },
    { title: '已支付（元）', dataIndex: 'paid', align: 'right', render: money },
    { title: '支付笔数', dataIndex: 'payments', align: 'right' },
    { title: '受益对象（个）', dataIndex: 'beneficiaries', align: 'right' },
    { title: '惠及金额（元）', dataIndex: 'beneficiaryAmount', align: 'right', render: money },
  ];
  const figureCols = 8;
  const leadCols = columns.length - figureCols;

  return (
    <Card
      size="small"
      title={<span data-testid="page-title">直达资金跟踪</span>}
      extra={
        <Space>
          <span>含下级区划</span>
          <Switch aria-label="含下级区划" checked={sub} onChange={setSub} />
          <Button icon={<ReloadOutlined spin={report.isFetching} />} onClick={() => report.refetch()}>
            刷新
          </Button>
        </Space>
      }
    >
      {report.isError && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          message={report.error instanceof ApiError ? report.error.body.message['zh-CN'] : '读取直达资金失败'}
        />
      )}
      <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
        到位＝资金各指标收到的全部额度（批复、上级下达、追加减、调入，扣除退回与调出）；已分配＝可执行指标持有的额度；
        已下达＝转移支付给下级；已支付＝银行已回单的支付；受益对象按证件号码去重。展开一行查看每笔支付及其受益对象。
      </Typography.Paragraph>
      <Table<Fund>
        data-testid="direct-reach-table"
        size="small"
        bordered
        rowKey={(f) => `${f.region}:${f.fundKey}`}
        loading={report.isFetching}
        columns={columns}
        dataSource={report.data?.funds ?? []}
        scroll={{ x: 'max-content' }}
        pagination={{ pageSize: 50, hideOnSinglePage: true }}
        locale={{ emptyText: '本区划本年度没有直达资金' }}
        expandable={{ expandedRowRender: (f) => <FundPaymentsTable fund={f} /> }}
        summary={() =>
          totals ? (
            <Table.Summary fixed>
              <Table.Summary.Row data-testid="direct-reach-totals">
                {/* +1: the expand column */}
                <Table.Summary.Cell index={0} colSpan={leadCols + 1}>
                  <strong>
                    合计（{totals.funds} 项资金{sub ? '，区划间划转只计一次' : ''}）
                  </strong>
                </Table.Summary.Cell>
                {(
                  [
                    ['received', money(totals.received)],
                    ['allocated', money(totals.allocated)],
                    ['issued', money(totals.issued)],
                    ['unallocated', money(totals.unallocated)],
                    ['paid', money(totals.paid)],
                    ['payments', totals.payments],
                    ['beneficiaries', totals.beneficiaries],
                    ['beneficiaryAmount', money(totals.beneficiaryAmount)],
                  ] as const
                ).map(([k, v], i) => (
                  <Table.Summary.Cell key={k} index={leadCols + 1 + i} align="right">
                    <span data-testid={`total-${k}`}>{v}</span>
                  </Table.Summary.Cell>
                ))}
              </Table.Summary.Row>
            </Table.Summary>
          ) : null
        }
      />
    </Card>
  );
}
