"use client";

import { createContext, useContext, useState } from "react";

/**
 * The mapping page's editor and its table are siblings: the editor says which group it just saved, the table
 * highlights that row, so the admin sees where the saved mapping landed after the form moves on.
 */
const SavedMapping = createContext<{ savedGroupId: string | null; setSavedGroupId: (id: string | null) => void }>({
  savedGroupId: null,
  setSavedGroupId: () => {},
});

export function MappingWorkspace({ children }: { children: React.ReactNode }) {
  const [savedGroupId, setSavedGroupId] = useState<string | null>(null);
  return <SavedMapping.Provider value={{ savedGroupId, setSavedGroupId }}>{children}</SavedMapping.Provider>;
}

export function useSavedMapping() {
  return useContext(SavedMapping);
}
