export interface Practice {
  name?: string | null;
  address?: string | null;
  phone?: string | null;
  email?: string | null;
  website?: string | null;
}

export interface Account {
  id: string;
  email: string;
  emailVerified: boolean;
  name: string;
  profession: string | null;
  phone: string | null;
  practice: Practice;
  hasLogo: boolean;
  isOperator: boolean;
  createdAt: string;
}
