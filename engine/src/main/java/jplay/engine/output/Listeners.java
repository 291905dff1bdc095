package jplay.engine.output;

import java.util.List;
import java.util.function.Consumer;

/**
 * Several listeners as one: each event goes to every listener, in the order given. A listener that throws does
 * not keep the event from the others (the recap must still be counted when a terminal write fails); the first
 * exception is rethrown afterwards, with the later ones suppressed in it.
 *
 * <pre>{@code
 * RunListener listener = Listeners.of(stats, new HumanOutput(System.out, 0, true, false), jsonLines);
 * }</pre>
 */
public final class Listeners implements RunListener {
  private final List<RunListener> listeners;

  private Listeners(List<RunListener> listeners) {
    this.listeners = listeners;
  }

  public static Listeners of(RunListener... listeners) {
    return of(List.of(listeners));
  }

  public static Listeners of(List<? extends RunListener> listeners) {
    return new Listeners(List.copyOf(listeners));
  }

  /** The listeners, in the order they receive events. */
  public List<RunListener> listeners() {
    return listeners;
  }

  @Override
  public void playbookStarted(Events.PlaybookStarted e) {
    each(l -> l.playbookStarted(e));
  }

  @Override
  public void playStarted(Events.PlayStarted e) {
    each(l -> l.playStarted(e));
  }

  @Override
  public void taskStarted(Events.TaskStarted e) {
    each(l -> l.taskStarted(e));
  }

  @Override
  public void hostStarted(Events.HostStarted e) {
    each(l -> l.hostStarted(e));
  }

  @Override
  public void hostResult(Events.HostResult e) {
    each(l -> l.hostResult(e));
  }

  @Override
  public void itemResult(Events.ItemResult e) {
    each(l -> l.itemResult(e));
  }

  @Override
  public void retry(Events.Retry e) {
    each(l -> l.retry(e));
  }

  @Override
  public void included(Events.Included e) {
    each(l -> l.included(e));
  }

  @Override
  public void noMoreHosts() {
    each(RunListener::noMoreHosts);
  }

  @Override
  public void message(String text) {
    each(l -> l.message(text));
  }

  @Override
  public void warning(String message) {
    each(l -> l.warning(message));
  }

  @Override
  public void runFinished(Events.RunFinished e) {
    each(l -> l.runFinished(e));
  }

  private void each(Consumer<RunListener> call) {
    RuntimeException first = null;
    for (RunListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException ex) {
        if (first == null) {
          first = ex;
        } else {
          first.addSuppressed(ex);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
