/** CSV import: choose a file, map its columns, watch the progress, then read every rejected row. */
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import {
  CUSTOMER_CSV_FIELDS,
  type CsvImportReport,
  type CsvPreview,
  type CustomerCsvField,
} from '../../../shared/contract';
import { uuidv7 } from '../../../shared/ids';
import { kasuwa } from '../../bridge';
import { AreaHeader } from '../../components/AreaHeader';
import { downloadText } from '../../download';
import { call } from '../../state/app-store';

const FIELD_LABELS: Record<CustomerCsvField, string> = {
  firstName: 'First name',
  lastName: 'Last name',
  displayName: 'Full name',
  phone: 'Phone (required)',
  whatsapp: 'WhatsApp',
  email: 'Email',
  address: 'Address',
  state: 'State',
  lgaCity: 'LGA or city',
  tags: 'Tags',
  notes: 'Notes',
  birthday: 'Birthday',
  smsConsent: 'Agreed to SMS',
  whatsappConsent: 'Agreed to WhatsApp',
  emailConsent: 'Agreed to email',
};

function rejectedCsv(report: CsvImportReport): string {
  const quote = (text: string) => `"${text.replace(/"/g, '""')}"`;
  return [
    'Line,Reason,Row',
    ...report.rejected.map((r) => [String(r.line), quote(r.reason), quote(r.raw.join(', '))].join(',')),
  ].join('\r\n');
}

export function ImportWizard() {
  const [csv, setCsv] = useState<string | null>(null);
  const [fileName, setFileName] = useState('');
  const [preview, setPreview] = useState<CsvPreview | null>(null);
  const [mapping, setMapping] = useState<Partial<Record<CustomerCsvField, number>>>({});
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [report, setReport] = useState<CsvImportReport | null>(null);
  const [taskId, setTaskId] = useState('');

  useEffect(
    () =>
      kasuwa.on('progress', (event) => {
        if (event.taskId === taskId) setProgress({ done: event.done, total: event.total });
      }),
    [taskId],
  );

  const choose = async (file: File | undefined) => {
    if (file === undefined) return;
    const text = await file.text();
    setFileName(file.name);
    setCsv(text);
    setReport(null);
    const answer = await call(kasuwa.customers.importPreview({ csv: text }));
    if (answer.ok) {
      setPreview(answer.value);
      setMapping(answer.value.suggestedMapping);
    }
  };

  const start = async () => {
    if (csv === null) return;
    const id = uuidv7();
    setTaskId(id);
    setProgress({ done: 0, total: preview?.rowCount ?? 0 });
    const answer = await call(kasuwa.customers.import({ csv, mapping, hasHeader: true, taskId: id }));
    if (answer.ok) setReport(answer.value);
    setProgress(null);
  };

  return (
    <>
      <AreaHeader title="Import customers">
        From a CSV file (Excel: “Save as CSV”). Good rows are kept; every rejected row is listed with the
        reason.
      </AreaHeader>
      <section className="panel panel-wide">
        <div className="field">
          <label htmlFor="csv-file">CSV file</label>
          <input
            id="csv-file"
            type="file"
            accept=".csv,text/csv"
            onChange={(e) => void choose(e.target.files?.[0])}
          />
        </div>
        {preview !== null && report === null && (
          <>
            <h2>Match the columns of {fileName}</h2>
            <p className="muted">{preview.rowCount.toLocaleString('en-NG')} rows.</p>
            <div className="form-grid">
              {CUSTOMER_CSV_FIELDS.map((field) => (
                <div className="field" key={field}>
                  <label htmlFor={`map-${field}`}>{FIELD_LABELS[field]}</label>
                  <select
                    id={`map-${field}`}
                    value={mapping[field] ?? ''}
                    onChange={(e) => {
                      const rest = Object.fromEntries(
                        Object.entries(mapping).filter(([key]) => key !== field),
                      );
                      setMapping(e.target.value === '' ? rest : { ...rest, [field]: Number(e.target.value) });
                    }}
                  >
                    <option value="">(not in the file)</option>
                    {preview.headers.map((header, index) => (
                      <option key={index} value={index}>
                        {header || `Column ${index + 1}`}
                      </option>
                    ))}
                  </select>
                </div>
              ))}
            </div>
            <h3>First rows</h3>
            <div className="table-scroll">
              <table>
                <thead>
                  <tr>
                    {preview.headers.map((header, index) => (
                      <th key={index} scope="col">
                        {header}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {preview.sample.map((row, index) => (
                    <tr key={index}>
                      {row.map((cell, column) => (
                        <td key={column}>{cell}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <button
              type="button"
              className="primary"
              disabled={mapping.phone === undefined || progress !== null}
              onClick={() => void start()}
            >
              Import {preview.rowCount.toLocaleString('en-NG')} rows
            </button>
          </>
        )}
        {progress !== null && (
          <div className="field">
            <label htmlFor="import-progress">Importing…</label>
            <progress
              id="import-progress"
              max={Math.max(1, progress.total)}
              value={progress.done}
              aria-valuetext={`${progress.done} of ${progress.total} rows`}
            />
            <span className="muted">
              {progress.done.toLocaleString('en-NG')} of {progress.total.toLocaleString('en-NG')}
            </span>
          </div>
        )}
        {report !== null && (
          <section aria-labelledby="report-title">
            <h2 id="report-title">Import finished</h2>
            <p role="status">
              {report.imported.toLocaleString('en-NG')} customers imported,{' '}
              {report.rejected.length.toLocaleString('en-NG')} rows rejected.
            </p>
            {report.rejected.length > 0 && (
              <>
                <button type="button" onClick={() => downloadText('rejected-rows.csv', rejectedCsv(report))}>
                  Download rejected rows
                </button>
                <div className="table-scroll">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">Line</th>
                        <th scope="col">Reason</th>
                        <th scope="col">Row</th>
                      </tr>
                    </thead>
                    <tbody>
                      {report.rejected.slice(0, 1000).map((row) => (
                        <tr key={row.line}>
                          <td>{row.line}</td>
                          <td>{row.reason}</td>
                          <td className="muted">{row.raw.join(', ')}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
                {report.rejected.length > 1000 && (
                  <p className="muted">The first 1,000 are shown; the download has them all.</p>
                )}
              </>
            )}
            <Link className="button" to="/customers">
              Back to the book
            </Link>
          </section>
        )}
      </section>
    </>
  );
}
