import { Button, Group, NativeSelect, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { schemaResolver, useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { patientContracts, type PatientView } from '../../../src/patients/schemas.ts';
import { call, isApiError } from '../app/api.ts';
import { Dialog } from '../app/Dialog.tsx';
import { applyServerErrors } from '../app/forms.ts';
import { FormError } from '../app/ui.tsx';
import { DraftOfferAlert, DraftStatusText } from '../drafts/DraftOfferAlert.tsx';
import { useDraft } from '../drafts/useDraft.ts';
import { completePatientValues, EDIT_PATIENT_DRAFT, NEW_PATIENT_DRAFT } from './patientDraft.ts';
import { EMPTY_PATIENT, GENDERS, patientName, patientValues, toPatientBody } from './patients.ts';
import { refreshPatients } from './queries.ts';
import { PATIENT_FIELDS, patientSchema, type PatientValues } from './schemas.ts';

interface PatientFormDialogProps {
  opened: boolean;
  onClose: () => void;
  /** The patient to edit; none to add one. */
  patient?: PatientView;
  onSaved?: (patient: PatientView) => void;
}

/** R-PAT-1: add a patient, or change their details. */
export function PatientFormDialog({ opened, onClose, patient, onSaved }: PatientFormDialogProps) {
  return (
    <Dialog opened={opened} onClose={onClose} title={patient ? `Edit ${patientName(patient)}` : 'Add a patient'} size="lg">
      {opened ? <PatientForm patient={patient} onClose={onClose} onSaved={onSaved} /> : null}
    </Dialog>
  );
}

function PatientForm({ patient, onClose, onSaved }: Omit<PatientFormDialogProps, 'opened'>) {
  const queryClient = useQueryClient();
  const [problem, setProblem] = useState<string | null>(null);
  const baseline = useMemo(() => (patient ? patientValues(patient) : EMPTY_PATIENT), [patient]);
  const form = useForm<PatientValues>({
    initialValues: baseline,
    validate: schemaResolver(patientSchema, { sync: true }),
    validateInputOnBlur: true,
  });
  // R-SES-2: what was typed is kept as a draft (a new patient under one key, a change per patient),
  // and offered back when the form opens again, also after a session ended by another sign-in.
  const [draftEditor, draftKey] = patient ? [EDIT_PATIENT_DRAFT, patient.id] : [NEW_PATIENT_DRAFT.editor, NEW_PATIENT_DRAFT.key];
  const draft = useDraft<PatientValues>(draftEditor, draftKey, form.values, {
    baseline,
    onRestore: (data) => form.setValues(completePatientValues(data, baseline)),
  });

  const submit = form.onSubmit(async (values) => {
    setProblem(null);
    try {
      const body = toPatientBody(values);
      const answer = patient
        ? await call(patientContracts.update, { params: { patientId: patient.id }, body })
        : await call(patientContracts.create, { body });
      await draft.clear();
      await refreshPatients(queryClient);
      notifications.show({
        color: 'motus',
        message: patient ? `${patientName(answer.patient)}'s details were saved.` : `${patientName(answer.patient)} was added.`,
      });
      onSaved?.(answer.patient);
      onClose();
    } catch (error) {
      if (isApiError(error, 'external_id_taken')) {
        form.setFieldError('externalId', error.message);
        return;
      }
      setProblem(applyServerErrors(form, error, PATIENT_FIELDS));
    }
  });

  return (
    <form onSubmit={submit} noValidate aria-label={patient ? 'Patient details' : 'Add a patient'}>
      <Stack gap="md">
        {!patient ? (
          <Text size="sm" c="dimmed">
            With an email address, the patient gets their programme code by email. Only you (and colleagues you share the patient
            with) can see them.
          </Text>
        ) : null}
        <DraftOfferAlert draft={draft} />
        <FormError message={problem} />
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
          <TextInput label="First name" autoComplete="off" required withAsterisk data-autofocus {...form.getInputProps('firstName')} />
          <TextInput label="Last name" autoComplete="off" required withAsterisk {...form.getInputProps('lastName')} />
          <TextInput
            label="Year of birth"
            inputMode="numeric"
            autoComplete="off"
            placeholder="e.g. 1961"
            maxLength={4}
            required
            withAsterisk
            description="The patient opens their programme with it."
            {...form.getInputProps('yearOfBirth')}
          />
          <NativeSelect label="Gender" data={[{ value: '', label: 'Not given' }, ...GENDERS]} {...form.getInputProps('gender')} />
          <TextInput label="Email" type="email" inputMode="email" autoComplete="off" {...form.getInputProps('email')} />
          <TextInput
            label="Mobile"
            type="tel"
            autoComplete="off"
            placeholder="e.g. +447700900123"
            description="International format, starting with +"
            {...form.getInputProps('mobile')}
          />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
          <TextInput label="External id" description="The patient's id in your practice system" autoComplete="off" {...form.getInputProps('externalId')} />
          <TextInput label="Diagnosis code" autoComplete="off" {...form.getInputProps('diagnosisCode')} />
          <TextInput label="Group" autoComplete="off" {...form.getInputProps('group')} />
        </SimpleGrid>
        <Group justify="space-between" gap="sm">
          <DraftStatusText status={draft.status} savedAt={draft.savedAt} />
          <Group gap="sm" ml="auto">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={form.submitting}>
              {patient ? 'Save changes' : 'Add patient'}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
